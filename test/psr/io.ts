/** A controllable IntersectionObserver: `FakeIO.show(el, ratio)` reports an element's visibility. */
export class FakeIO {
  static all = new Set<FakeIO>()
  targets = new Set<Element>()
  constructor(private cb: IntersectionObserverCallback) {
    FakeIO.all.add(this)
  }
  observe(el: Element) {
    this.targets.add(el)
  }
  unobserve(el: Element) {
    this.targets.delete(el)
  }
  disconnect() {
    this.targets.clear()
    FakeIO.all.delete(this)
  }
  takeRecords() {
    return []
  }
  static show(el: Element, ratio: number) {
    for (const io of FakeIO.all)
      if (io.targets.has(el))
        io.cb([{ target: el, intersectionRatio: ratio, isIntersecting: ratio > 0 } as IntersectionObserverEntry], io as unknown as IntersectionObserver)
  }
}
