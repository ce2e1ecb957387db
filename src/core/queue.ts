/** A bounded ring buffer that drops the oldest item when full and says how many it dropped. */
export interface Queue<T> {
  /** Adds an item; returns true when that pushed the oldest one out. */
  push(item: T): boolean
  /** Removes and returns up to n items from the front. */
  take(n: number): T[]
  /** Puts items back at the front (a failed batch); the oldest are dropped past capacity. */
  unshift(items: T[]): number
  readonly size: number
  clear(): void
}

export /* @__NO_SIDE_EFFECTS__ */ function createQueue<T>(capacity: number): Queue<T> {
  const buf: (T | undefined)[] = new Array(capacity)
  let head = 0
  let size = 0
  return {
    get size() {
      return size
    },
    push(item) {
      const full = size == capacity
      buf[(head + size) % capacity] = item
      if (full) head = (head + 1) % capacity
      else size++
      return full
    },
    take(n) {
      const out: T[] = []
      while (size > 0 && out.length < n) {
        out.push(buf[head]!)
        buf[head] = undefined
        head = (head + 1) % capacity
        size--
      }
      return out
    },
    unshift(items) {
      let dropped = 0
      for (let i = items.length - 1; i >= 0; i--) {
        if (size == capacity) {
          dropped++
          continue // the oldest of the returned items lose their place
        }
        head = (head - 1 + capacity) % capacity
        buf[head] = items[i]
        size++
      }
      return dropped
    },
    clear() {
      buf.fill(undefined)
      head = size = 0
    },
  }
}
