import type { ScoredPrompt } from 'prompt-telemetry/react'

export interface Prompt {
  id: string
  version: string
  title: string
  text: string
  topic: string
}

export const PROMPTS: Prompt[] = [
  { id: 'summarize-thread', version: '3', title: 'Summarize a thread', text: 'Summarize this thread in five bullet points, then list open questions.', topic: 'writing' },
  { id: 'explain-code', version: '1', title: 'Explain this code', text: 'Explain what this function does, line by line, for a new teammate.', topic: 'code' },
  { id: 'write-tests', version: '2', title: 'Write unit tests', text: 'Write table-driven unit tests for this function, covering edge cases.', topic: 'code' },
  { id: 'tone-check', version: '1', title: 'Check the tone', text: 'Rewrite this message so it sounds friendly but direct.', topic: 'writing' },
  { id: 'sql-from-question', version: '4', title: 'Question to SQL', text: 'Turn this question into a PostgreSQL query over the schema below.', topic: 'data' },
  { id: 'meeting-agenda', version: '1', title: 'Draft an agenda', text: 'Draft a 30-minute meeting agenda with owners and time boxes.', topic: 'planning' },
  { id: 'regex-helper', version: '2', title: 'Build a regex', text: 'Write a regular expression that matches these examples and not those.', topic: 'code' },
]

/** A stand-in for a real ranker: scores every prompt against the active topic. */
export function rank(topic: string, seed: number): ScoredPrompt[] {
  return PROMPTS.map((p, i) => {
    const stageMatch = p.topic == topic
    const topicWeight = stageMatch ? 0.6 : 0.1
    const baseWeight = 0.3 + ((i * 7 + seed * 13) % 10) / 40
    const momentBoost = (seed + i) % 3 == 0 ? 0.1 : 0
    return { prompt: { id: p.id }, score: +(topicWeight + baseWeight + momentBoost).toFixed(3), matchDetails: { stageMatch, lensWeight: 1, topicWeight, momentBoost, baseWeight } }
  }).sort((a, b) => b.score! - a.score!)
}

export const byId = new Map(PROMPTS.map((p) => [p.id, p]))
