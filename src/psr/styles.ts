/**
 * The default look of the PSR widget, for its shadow root. The page's rules can still reach the
 * host element (they beat `:host`), so `all: initial` is set again on the widget's own root
 * elements: nothing the page sets on the host (text-transform, letter-spacing) is inherited
 * inside. The shadow root keeps these rules from leaking out; custom properties still inherit
 * through it, so the page themes the widget with them:
 *
 * --pt-psr-bg, --pt-psr-fg, --pt-psr-muted, --pt-psr-border, --pt-psr-input-border, --pt-psr-accent,
 * --pt-psr-accent-fg, --pt-psr-star, --pt-psr-star-on, --pt-psr-focus, --pt-psr-radius,
 * --pt-psr-error, --pt-psr-font, --pt-psr-shadow.
 * @example <style>.app { --pt-psr-accent: #7c3aed; --pt-psr-radius: 4px }</style>
 */
export const psrStyles = `
:host{all:initial;display:block}
.pt-psr,.pt-psr__status{all:initial;display:block;box-sizing:border-box;font:14px/1.4 var(--pt-psr-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--pt-psr-fg,#1f2328)}
:host([hidden]){display:none}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.pt-psr{position:relative;max-width:22rem;padding:.75rem .875rem;background:var(--pt-psr-bg,#fff);border:1px solid var(--pt-psr-border,#d0d7de);border-radius:var(--pt-psr-radius,10px);box-shadow:var(--pt-psr-shadow,0 4px 14px rgb(0 0 0 / .08))}
.pt-psr__stars{margin:0;padding:0;border:0;min-width:0}
.pt-psr__title{padding:0;padding-inline-end:1.75rem;padding-block-end:.375rem;font-weight:600}
.pt-psr__row{display:inline-block}
.pt-psr__star{position:relative;display:inline-block;cursor:pointer;font-size:1.5rem;line-height:1;padding:0 .125rem;color:var(--pt-psr-star,#8c959f)}
.pt-psr__star[data-on]{color:var(--pt-psr-star-on,#bf8700)}
.pt-psr__row:hover .pt-psr__star{color:var(--pt-psr-star-on,#bf8700)}
.pt-psr__row:hover .pt-psr__star:hover~.pt-psr__star{color:var(--pt-psr-star,#8c959f)}
.pt-psr__radio{position:absolute;inset:0;margin:0;opacity:0;cursor:pointer}
.pt-psr__radio:focus-visible+span{outline:2px solid var(--pt-psr-focus,#0969da);outline-offset:2px;border-radius:2px}
.pt-psr__note-label{display:block;margin:.5rem 0 .25rem;color:var(--pt-psr-muted,#57606a);font-size:.8125rem}
.pt-psr__note{display:block;width:100%;min-height:3.25rem;resize:vertical;padding:.375rem .5rem;font:inherit;color:inherit;background:transparent;border:1px solid var(--pt-psr-input-border,#8c959f);border-radius:calc(var(--pt-psr-radius,10px) / 2)}
.pt-psr__note:focus-visible,.pt-psr__submit:focus-visible,.pt-psr__dismiss:focus-visible{outline:2px solid var(--pt-psr-focus,#0969da);outline-offset:1px}
.pt-psr__counter{margin-top:.125rem;text-align:end;color:var(--pt-psr-muted,#57606a);font-size:.75rem;font-variant-numeric:tabular-nums}
.pt-psr__error{margin-top:.375rem;color:var(--pt-psr-error,#cf222e);font-size:.8125rem}
.pt-psr__actions{display:flex;justify-content:flex-end;margin-top:.5rem}
.pt-psr__submit{font:inherit;font-weight:600;padding:.375rem .875rem;border:0;border-radius:calc(var(--pt-psr-radius,10px) / 2);cursor:pointer;background:var(--pt-psr-accent,#0969da);color:var(--pt-psr-accent-fg,#fff)}
.pt-psr__submit:disabled,.pt-psr__submit[aria-disabled=true]{opacity:.5;cursor:default}
.pt-psr__dismiss{position:absolute;top:.375rem;right:.375rem;inset-inline-start:auto;inset-inline-end:.375rem;width:1.75rem;height:1.75rem;padding:0;font:inherit;font-size:1.125rem;line-height:1;border:0;border-radius:50%;cursor:pointer;background:transparent;color:var(--pt-psr-muted,#57606a)}
.pt-psr__dismiss:hover{background:rgb(127 127 127 / .15)}
.pt-psr__status:not([data-toast]){position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.pt-psr__status[data-toast]{display:inline-block;padding:.5rem .875rem;border-radius:var(--pt-psr-radius,10px);background:var(--pt-psr-fg,#1f2328);color:var(--pt-psr-bg,#fff);box-shadow:var(--pt-psr-shadow,0 4px 14px rgb(0 0 0 / .08))}
@media (forced-colors:active){.pt-psr__submit,.pt-psr__dismiss{border:1px solid ButtonText}.pt-psr__status[data-toast]{border:1px solid CanvasText}}
@media (prefers-reduced-motion:no-preference){.pt-psr,.pt-psr__status[data-toast]{animation:pt-psr-in .12s ease-out}}
@keyframes pt-psr-in{from{opacity:0;transform:translateY(4px)}}
`
