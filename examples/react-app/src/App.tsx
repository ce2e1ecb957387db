import { useEffect, useMemo, useState } from 'react'
import { PsrPrompt, usePromptTelemetry } from 'prompt-telemetry/react'
import { Carousel } from './Carousel'
import { EventLog } from './EventLog'
import { rank } from './prompts'

const TOPICS = ['code', 'writing', 'data', 'planning']

export function App() {
  const [topic, setTopic] = useState('code')
  const [round, setRound] = useState(1)
  const scored = useMemo(() => rank(topic, round), [topic, round])
  const context = useMemo(() => ({ stage: 'explore', source: 'carousel', activeTopics: [topic], interactionCount: round }), [topic, round])
  // Impressions count only once a card is at least half on screen.
  const pt = usePromptTelemetry({ visibleOnly: true })
  useEffect(() => pt.recordImpressions(scored, context), [pt, scored, context])

  return (
    <main>
      <header>
        <h1>Suggested prompts</h1>
        <p>
          Scroll the carousel, use or copy a prompt, rate it. Every event below goes to <code>/telemetry/events</code>; ratings go
          to <code>/psr</code>.
        </p>
      </header>
      <nav aria-label="Topic">
        {TOPICS.map((t) => (
          <button key={t} aria-pressed={t == topic} onClick={() => setTopic(t)}>
            {t}
          </button>
        ))}
        <button onClick={() => setRound((r) => r + 1)}>Reshuffle</button>
      </nav>
      <Carousel scored={scored} pt={pt} />
      {/* Opens after Copy, at most once per prompt per day, when features.psr is on. */}
      <PsrPrompt className="psr" trigger={['prompt_copied', 'prompts.duplicate']} />
      <EventLog />
    </main>
  )
}
