/** The most stars, and the longest note in UTF-16 code units (what `<textarea maxlength>` counts). */
export const PSR_MAX_RATING = 5
export const PSR_MAX_NOTE = 280

/** Every text the widget shows or announces; pass your own to translate it. */
export interface PsrLabels {
  /** The question, also the fieldset's legend. */
  title: string
  /** The accessible name of one star: "3 of 5 stars". */
  star(n: number, max: number): string
  note: string
  /** The visible counter under the note, also its description: "12 of 280 characters". */
  counter(length: number, max: number): string
  submit: string
  dismiss: string
  /** The success toast. */
  thanks: string
  /** Shown and announced when a rating could not be sent; Send tries again. */
  error: string
}

export const psrLabels: PsrLabels = {
  title: 'How well did this prompt work?',
  star: (n, max) => `${n} of ${max} stars`,
  note: 'Add a note (optional)',
  counter: (n, max) => `${n} of ${max} characters`,
  submit: 'Send rating',
  dismiss: 'Dismiss rating',
  thanks: 'Thanks! Your rating was saved.',
  error: 'Your rating could not be sent. Try again?',
}

/** Cuts a note to 280 code units without splitting a surrogate pair. */
export function clampNote(s: string): string {
  if (s.length <= PSR_MAX_NOTE) return s
  const cut = s.slice(0, PSR_MAX_NOTE)
  const last = cut.charCodeAt(PSR_MAX_NOTE - 1)
  return last >= 0xd800 && last < 0xdc00 ? cut.slice(0, -1) : cut
}

/** A whole number of stars from 1 to 5, or 0 for none. */
export const clampRating = (n: number): number =>
  Number.isFinite(n) ? Math.min(PSR_MAX_RATING, Math.max(0, Math.round(n))) : 0
