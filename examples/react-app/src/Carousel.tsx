import { useRef, useState } from 'react'
import { useTelemetry, type PromptTelemetry, type ScoredPrompt } from 'prompt-telemetry/react'
import { byId } from './prompts'

export function Carousel({ scored, pt }: { scored: ScoredPrompt[]; pt: PromptTelemetry }) {
  const track = useRef<HTMLUListElement>(null)
  const scroll = (dir: number) => track.current?.scrollBy({ left: dir * track.current.clientWidth * 0.8, behavior: 'smooth' })
  return (
    <section className="carousel" aria-label="Suggested prompts" aria-roledescription="carousel">
      <button className="arrow" aria-label="Previous prompts" onClick={() => scroll(-1)}>
        ‹
      </button>
      <ul ref={track}>
        {scored.map((s, i) => (
          <Card key={s.prompt!.id} scored={s} rank={i} pt={pt} />
        ))}
      </ul>
      <button className="arrow" aria-label="Next prompts" onClick={() => scroll(1)}>
        ›
      </button>
    </section>
  )
}

function Card({ scored, rank, pt }: { scored: ScoredPrompt; rank: number; pt: PromptTelemetry }) {
  const t = useTelemetry()
  const p = byId.get(scored.prompt!.id)!
  const [state, setState] = useState<'idle' | 'running' | 'done' | 'copied' | 'skipped'>('idle')

  const use = () => {
    pt.recordSelection(p.id)
    setState('running')
    const started = performance.now()
    // A stand-in for the LLM call.
    setTimeout(() => {
      pt.recordCompletion(p.id, { outcome: 'success', dwellTimeMs: Math.round(performance.now() - started), entropyDelta: -0.1 })
      setState('done')
    }, 1200)
  }
  const copy = async () => {
    await navigator.clipboard?.writeText(p.text).catch(() => {})
    t.track('prompt_copied', { prompt_id: p.id, version: p.version, variant: 'body', source: 'card' })
    setState('copied')
  }

  return (
    <li ref={pt.impressionRef(p.id)} className={state == 'skipped' ? 'card skipped' : 'card'}>
      <div className="meta">
        <span>#{rank + 1}</span>
        <span title="ranking score">{scored.score?.toFixed(2)}</span>
      </div>
      <h2>{p.title}</h2>
      <p>{p.text}</p>
      <div className="actions">
        <button onClick={use} disabled={state == 'running'}>
          {state == 'running' ? 'Running…' : state == 'done' ? 'Done ✓' : 'Use'}
        </button>
        <button onClick={copy}>{state == 'copied' ? 'Copied' : 'Copy'}</button>
        <button aria-label="Helpful" onClick={() => pt.recordFeedback(p.id, 'positive')}>
          👍
        </button>
        <button aria-label="Not helpful" onClick={() => pt.recordFeedback(p.id, 'negative')}>
          👎
        </button>
        <button aria-label="Dismiss suggestion" onClick={() => (pt.recordSkip(p.id, 'dismissed'), setState('skipped'))}>
          ✕
        </button>
      </div>
    </li>
  )
}
