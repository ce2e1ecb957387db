import { attr, defineCatalog } from '../core/catalog'
import { llmEvents } from '../llm/events'

// Built inside one function called as pure, so an app that does not import the catalog
// does not pay for it.
const build = () => {
const prompt_id = attr.id({ description: 'The prompt (UUID or slug).' })
const version = attr.string({ maxLength: 32, optional: true, description: 'Prompt version; latest when absent.' })
const latency_ms = attr.int({ optional: true, description: 'How long the action took, ms.' })
const source = attr.string({ maxLength: 32, optional: true, description: 'Where in the UI it happened (lens, surface).' })
const opt = { optional: true } as const

// The prompt lifecycle of a suggestion list, flattened: context, scoring and outcome.
const context = {
  impression_id: attr.id({ optional: true, description: 'Joins selections and completions to the impression they came from.' }),
  source,
  stage: attr.string({ maxLength: 32, optional: true, description: 'Journey stage when shown.' }),
  lens_id: attr.id({ optional: true, description: 'Active lens or filter set.' }),
  entropy: attr.number({ min: 0, max: 1, optional: true }),
  interaction_count: attr.int(opt),
  active_topics: attr.list(opt),
  active_moments: attr.list(opt),
}
const scoring = {
  rank: attr.int({ optional: true, description: '0-based position in the list shown.' }),
  score: attr.number({ optional: true, description: 'Final ranking score.' }),
  stage_match: attr.bool(opt),
  lens_weight: attr.number(opt),
  topic_weight: attr.number(opt),
  moment_boost: attr.number(opt),
  base_weight: attr.number(opt),
}

/**
 * The built-in catalog: the prompt library's product events (auth, search, prompt CRUD, copy,
 * share, tags, models, import/export, PSR) and the suggestion lifecycle (impression, selection,
 * completion, feedback, skip). See docs/events.md.
 */
return defineCatalog({
  'auth.login.success': { description: 'A user signed in.', attrs: { method: attr.enum(['password', 'oauth', 'magic_link', 'sso', 'other'], opt) } },
  'auth.login.failure': { description: 'A sign-in failed.', attrs: { reason: attr.enum(['bad_credentials', 'locked', 'expired', 'network', 'other'], opt) } },
  'auth.logout': { description: 'A user signed out.' },
  'vault.search_performed': {
    description: 'A search ran. The query itself never leaves the page: only its hash and length.',
    attrs: {
      result_count: attr.int(),
      query_len: attr.int({ max: 10000 }),
      query_hash: attr.hash({ optional: true, description: 'SHA-256 of the normalized query.' }),
      filter_hash: attr.hash({ optional: true, description: 'SHA-256 of the normalized filters.' }),
      latency_ms,
    },
  },
  'vault.filtered_collection': {
    description: 'A collection was filtered.',
    attrs: { collection_id: attr.id(opt), filter_hash: attr.hash(opt), result_count: attr.int(opt) },
  },
  'prompts.create': { description: 'A prompt was created.', attrs: { prompt_id, version, latency_ms, source } },
  'prompts.update': { description: 'A prompt was saved.', attrs: { prompt_id, version, latency_ms, source } },
  'prompts.duplicate': { description: 'A prompt was duplicated (a PSR trigger).', attrs: { prompt_id, version, latency_ms, source } },
  'prompts.delete': { description: 'A prompt was deleted.', attrs: { prompt_id, version, latency_ms, source } },
  prompt_copied: {
    description: 'A prompt was copied (the main PSR trigger).',
    attrs: {
      prompt_id,
      version,
      variant: attr.enum(['body', 'front_matter', 'json'], { description: 'What was copied.' }),
      source: attr.enum(['card', 'detail'], { description: 'Where the copy button was.' }),
    },
  },
  'share.created': { description: 'A share link was made.', attrs: { prompt_id, share_id: attr.id(opt), visibility: attr.enum(['public', 'link', 'team'], opt) } },
  'share.viewed': { description: 'A shared prompt was opened.', attrs: { share_id: attr.id(), prompt_id: attr.id(opt) } },
  'share.revoked': { description: 'A share link was revoked.', attrs: { share_id: attr.id(), prompt_id: attr.id(opt) } },
  'tags.added': { description: 'Tags were added (counts only: tag names can be content).', attrs: { prompt_id: attr.id(opt), count: attr.int({ min: 1, max: 1000 }) } },
  'tags.removed': { description: 'Tags were removed.', attrs: { prompt_id: attr.id(opt), count: attr.int({ min: 1, max: 1000 }) } },
  'models.selected': { description: 'A model was chosen.', attrs: { model: attr.string({ maxLength: 64 }), provider: attr.string({ maxLength: 32, optional: true }), prompt_id: attr.id(opt) } },
  'import.started': { description: 'An import began.', attrs: { format: attr.enum(['json', 'markdown', 'csv', 'other'], opt), item_count: attr.int(opt) } },
  'import.completed': { description: 'An import finished.', attrs: { created: attr.int(), skipped: attr.int(), error_count: attr.int(), latency_ms } },
  'export.requested': { description: 'An export was asked for.', attrs: { format: attr.enum(['json', 'markdown', 'csv', 'other'], opt), item_count: attr.int(opt) } },
  'export.completed': { description: 'An export finished.', attrs: { format: attr.enum(['json', 'markdown', 'csv', 'other'], opt), item_count: attr.int(opt), latency_ms } },
  'psr.shown': { description: 'The PSR widget was shown.', attrs: { prompt_id, version, source: attr.enum(['copy', 'duplicate', 'manual', 'other']) } },
  'psr.dismissed': { description: 'The PSR widget was closed without rating.', attrs: { prompt_id, version, source: attr.enum(['copy', 'duplicate', 'manual', 'other']) } },
  'psr.submitted': {
    description: 'A rating was submitted (the rating itself is stored by POST /psr; the note never travels as an event).',
    priority: true,
    attrs: { prompt_id, version, rating: attr.int({ min: 1, max: 5 }), source: attr.enum(['copy', 'duplicate', 'manual', 'other']), has_note: attr.bool(opt) },
  },
  'prompt.impression': {
    description: 'A suggested prompt was shown (once per prompt per list shown).',
    attrs: { prompt_id, ...context, impression_id: attr.id({ description: 'Unique per prompt per list shown.' }), ...scoring },
  },
  'prompt.selection': { description: 'A suggested prompt was picked.', priority: true, attrs: { prompt_id, ...context, ...scoring } },
  'prompt.completion': {
    description: 'The LLM answer to a picked prompt completed.',
    priority: true,
    attrs: {
      prompt_id,
      ...context,
      ...scoring,
      outcome: attr.enum(['success', 'error', 'abandoned'], opt),
      dwell_time_ms: attr.int(opt),
      entropy_delta: attr.number({ min: -1, max: 1, optional: true }),
      follow_up_prompt_id: attr.id(opt),
    },
  },
  'prompt.feedback': {
    description: 'Thumbs up or down on a suggestion.',
    attrs: { prompt_id, ...context, feedback: attr.enum(['positive', 'negative']), reason: attr.string({ maxLength: 64, optional: true }) },
  },
  'prompt.skip': {
    description: 'A suggestion was dismissed or passed over.',
    attrs: { prompt_id, ...context, reason: attr.enum(['dismissed', 'scrolled_past', 'replaced', 'other'], opt) },
  },
  ...llmEvents,
})
}

export const promptCatalog = /* @__PURE__ */ build()

export type PromptCatalog = typeof promptCatalog
