/** NUL and unpaired surrogates: PostgreSQL cannot store them in text, so input holding them is refused. */
export const UNSTORABLE = /[\0\ud800-\udfff]/u
