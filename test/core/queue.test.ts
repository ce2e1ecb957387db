import { describe, expect, it } from 'vitest'
import { createQueue } from '../../src/core/queue'

const filled = (capacity: number, items: number[]) => {
  const q = createQueue<number>(capacity)
  for (const i of items) q.push(i)
  return q
}

describe('createQueue', () => {
  it('hands items back in the order they were pushed', () => {
    const q = filled(5, [1, 2, 3])
    expect(q.size).toBe(3)
    expect(q.take(2)).toEqual([1, 2])
    expect(q.take(10)).toEqual([3])
    expect(q.size).toBe(0)
    expect(q.take(1)).toEqual([])
  })

  it('drops the oldest item when the queue is full and says so', () => {
    const q = createQueue<number>(3)
    expect([1, 2, 3].map((i) => q.push(i))).toEqual([false, false, false])
    expect(q.push(4)).toBe(true)
    expect(q.push(5)).toBe(true)
    expect(q.size).toBe(3)
    expect(q.take(3)).toEqual([3, 4, 5])
  })

  it('never holds more than its capacity, however many items arrive', () => {
    const q = createQueue<number>(200)
    let dropped = 0
    for (let i = 0; i < 10_000; i++) dropped += +q.push(i)
    expect(q.size).toBe(200)
    expect(dropped).toBe(9_800)
    expect(q.take(200)).toEqual(Array.from({ length: 200 }, (_, i) => 9_800 + i))
  })

  it('keeps its order across the wrap of the ring', () => {
    const q = filled(4, [1, 2, 3])
    q.take(2)
    for (const i of [4, 5, 6]) q.push(i)
    expect(q.take(4)).toEqual([3, 4, 5, 6])
  })

  it('puts a failed batch back in front of newer items', () => {
    const q = filled(10, [1, 2, 3, 4])
    const batch = q.take(2)
    q.push(5)
    expect(q.unshift(batch)).toBe(0)
    expect(q.take(10)).toEqual([1, 2, 3, 4, 5])
  })

  it('drops the oldest of the returned items when they do not all fit', () => {
    const q = filled(4, [1, 2, 3, 4])
    const batch = q.take(3)
    q.push(5)
    q.push(6)
    expect(q.unshift(batch)).toBe(2)
    expect(q.size).toBe(4)
    expect(q.take(4)).toEqual([3, 4, 5, 6])
  })

  it('drops every returned item when the queue filled up meanwhile', () => {
    const q = filled(2, [1, 2])
    const batch = q.take(2)
    q.push(3)
    q.push(4)
    expect(q.unshift(batch)).toBe(2)
    expect(q.take(2)).toEqual([3, 4])
  })

  it('empties on clear and takes new items afterwards', () => {
    const q = filled(3, [1, 2, 3, 4])
    q.clear()
    expect(q.size).toBe(0)
    expect(q.take(3)).toEqual([])
    q.push(7)
    expect(q.take(3)).toEqual([7])
  })
})
