import { createElement, useEffect, useRef, type CSSProperties, type ReactNode } from 'react'
import { mountPsrView, type PsrLabels } from '../psr'
import { usePsr, usePsrTrigger, type UsePsrOptions, type UsePsrTriggerOptions } from './use-psr'

export interface PsrPromptProps extends UsePsrOptions {
  /** Which events open it (after Copy by default); `false` opens it only through `open`. */
  trigger?: UsePsrTriggerOptions['on'] | false | undefined
  /**
   * Asks it to open (subject to the flag and the daily cap) while true. The rating records
   * `source: 'manual'` unless `source` says otherwise: nothing was copied.
   */
  open?: boolean | undefined
  /** No shadow root, no stylesheet: plain markup with `pt-psr__*` classes to style yourself. */
  unstyled?: boolean | undefined
  labels?: Partial<PsrLabels> | undefined
  className?: string | undefined
  /** On the host element: set `--pt-psr-*` custom properties here to theme it. */
  style?: CSSProperties | undefined
}

/**
 * The Prompt Satisfaction Rating widget: inline, non-modal, five radio stars, an optional
 * 280-character note, `POST /psr`, a success toast. Opens after the prompt is copied, at most
 * once per prompt per UTC day, only when `features.psr` is on; renders nothing otherwise.
 * The default styles live in a shadow root, so the page cannot break them nor they the page.
 * @example
 * <PsrPrompt promptId={prompt.id} version={prompt.version} enabled={flags.psr} />
 */
export function PsrPrompt(props: PsrPromptProps): ReactNode {
  const { trigger, open, unstyled, labels, className, style, ...options } = props
  const psr = usePsr(options)
  const c = psr.controller
  usePsrTrigger(psr, trigger === false ? false : { on: trigger, promptId: options.promptId })
  const host = useRef<HTMLDivElement>(null)
  const shown = psr.enabled === true
  // Inline `labels` objects are new every render: remount the view only when their content changes.
  const labelsKey = labels && Object.keys(labels).map((k) => k + String(labels[k as keyof PsrLabels])).join()
  const labelsRef = useRef(labels)
  labelsRef.current = labels

  useEffect(() => {
    if (shown && host.current) return mountPsrView(host.current, c, { unstyled, labels: labelsRef.current })
  }, [c, shown, unstyled, labelsKey])
  useEffect(() => {
    if (open && shown) c.open({ source: options.source ?? 'manual' })
  }, [c, open, shown, options.source])

  return shown ? createElement('div', { ref: host, className, style, 'data-pt-psr': '' }) : null
}
