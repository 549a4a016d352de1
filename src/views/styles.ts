// The site's only stylesheet, inlined in every page (one small <style>, no external CSS or fonts).
// The Content-Security-Policy allows exactly this text by its SHA-256 hash.

import { bytesToBase64, sha256 } from "../lib/encoding";

export const css = `
:root{color-scheme:light dark;--bg:#fbfaf7;--fg:#1d1b18;--muted:#57524b;--rule:#dcd6cc;--accent:#8f3512;--accent-soft:#f3e6dc;--focus:#1f5fbf;
--measure:68ch;--step-0:clamp(1.0625rem,1rem + .25vw,1.1875rem);--step-1:clamp(1.25rem,1.15rem + .5vw,1.5rem);--step-2:clamp(1.5rem,1.3rem + 1vw,2rem);--step-3:clamp(1.75rem,1.35rem + 1.6vw,2.5rem)}
@media (prefers-color-scheme:dark){:root{--bg:#151412;--fg:#ece8e1;--muted:#b5aea3;--rule:#3a3630;--accent:#f4a470;--accent-soft:#2c2019;--focus:#8fb8ff}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;display:grid;grid-template-rows:auto 1fr auto;grid-template-columns:minmax(0,1fr);min-height:100vh;background:var(--bg);color:var(--fg);font:400 var(--step-0)/1.6 ui-serif,Georgia,Cambria,"Times New Roman",serif;text-rendering:optimizeLegibility}
a{color:var(--accent);text-underline-offset:.18em;text-decoration-thickness:.06em}
a:hover{text-decoration-thickness:.14em}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
.skip{position:absolute;left:.5rem;top:-5rem;padding:.5rem .75rem;background:var(--fg);color:var(--bg);z-index:1;font:600 1rem/1.4 ui-sans-serif,system-ui,sans-serif}
.skip:focus{top:.5rem}
.wrap{width:100%;max-width:40.5rem;margin:0 auto;padding:0 1.25rem}
.site-header{border-bottom:1px solid var(--rule)}
.site-header .wrap{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.25rem 1.5rem;padding-block:1rem}
.brand{display:flex;flex-direction:column;text-decoration:none;color:var(--fg)}
.brand-name{font:700 1.375rem/1.1 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;letter-spacing:.22em}
.brand-tagline{font:400 .875rem/1.4 ui-sans-serif,system-ui,sans-serif;color:var(--muted)}
.site-nav ul{display:flex;flex-wrap:wrap;gap:0 1.25rem;margin:0;padding:0;list-style:none;font:500 1rem/1.4 ui-sans-serif,system-ui,sans-serif}
.site-nav a{color:var(--fg);text-decoration:none;padding:.5rem 0;display:inline-block}
.site-nav a:hover,.site-nav a[aria-current=page]{text-decoration:underline;text-decoration-color:var(--accent)}
.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.site-search,.search-form{display:flex;gap:.5rem;font:500 1rem/1.4 ui-sans-serif,system-ui,sans-serif}
.site-search{flex:1 1 100%;width:100%}.site-search form{flex:1;display:flex;gap:.5rem}
.site-search input{flex:1;min-width:0}
input,select,button{font:inherit}
input[type=search],select{min-height:2.75rem;padding:.4rem .6rem;border:1px solid var(--muted);border-radius:4px;background:var(--bg);color:var(--fg)}
button{min-height:2.75rem;padding:.4rem 1rem;border:1px solid var(--accent);border-radius:4px;background:var(--accent);color:var(--bg);cursor:pointer}
.search-form{flex-wrap:wrap;align-items:flex-end;margin-bottom:1.5rem}
.search-form label{flex:1 1 7rem;min-width:0;display:flex;flex-direction:column;gap:.25rem;font-size:.9375rem;color:var(--muted)}
.search-form .q{flex:1 1 100%}.search-form .q input{width:100%}
.field-error{color:var(--accent);font:600 .9375rem/1.5 ui-sans-serif,system-ui,sans-serif}
mark{background:var(--accent-soft);color:inherit;padding:0 .1em}
main.wrap{padding-block:2rem 3rem;overflow-wrap:break-word}#main:focus{outline:none}
h1,h2,h3{font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.2;text-wrap:balance}
h1{font-size:var(--step-3);margin:.25rem 0 1rem;letter-spacing:-.01em}
h2{font-size:var(--step-2);margin:2rem 0 .75rem}
h3{font-size:var(--step-1);margin:0 0 .25rem}
p,ul,ol{margin:0 0 1rem}
.page-intro{color:var(--muted);margin-top:-.5rem}
.kicker,.meta,.card-meta,.pager,.site-footer{font:500 .9375rem/1.5 ui-sans-serif,system-ui,sans-serif;color:var(--muted)}
.kicker{margin:0;text-transform:uppercase;letter-spacing:.06em;font-size:.8125rem}
.kicker a{text-decoration:none;padding-block:.2rem}
.kicker a:hover{text-decoration:underline}
.dot{padding:0 .1em}time{white-space:nowrap}
.standfirst{font-size:var(--step-1);line-height:1.45;color:var(--fg);margin-bottom:1rem}
.meta{border-bottom:1px solid var(--rule);padding-bottom:1rem;margin-bottom:1.5rem}
.prose{max-width:var(--measure);overflow-wrap:break-word}.prose ul,.prose ol{padding-left:1.5rem}
.prose h2{font-size:var(--step-1)}
.prose li{margin-bottom:.35rem}
.prose blockquote{margin:1.5rem 0;padding-left:1rem;border-left:3px solid var(--accent);color:var(--muted)}
.prose code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;background:var(--accent-soft);padding:.1em .3em;border-radius:3px}
.prose pre{overflow-x:auto;background:var(--accent-soft);padding:1rem;border-radius:4px}
.prose pre code{background:none;padding:0}
.prose img{max-width:100%;height:auto}
.lead{margin:0 0 1.5rem}.lead img{display:block;width:100%;height:auto;background:var(--accent-soft)}
.lead figcaption{margin-top:.5rem;font:400 .9375rem/1.5 ui-sans-serif,system-ui,sans-serif;color:var(--muted)}
.cards{list-style:none;margin:0;padding:0}
.card{padding:1.25rem 0;border-bottom:1px solid var(--rule)}
.card:first-child{padding-top:.5rem}
.card h2,.card h3{font-size:var(--step-1);margin:.25rem 0 .35rem}
.card h2 a,.card h3 a{color:var(--fg);text-decoration:none}
.card h2 a:hover,.card h3 a:hover{text-decoration:underline;text-decoration-color:var(--accent)}
.card:last-child{border-bottom:0}.card p{margin:0}
.card-meta{margin:0 0 .15rem}
.taxon{white-space:nowrap}
.card-summary{margin-top:.35rem}
.related{margin-top:3rem;border-top:3px solid var(--fg);padding-top:.5rem}
.related h2{margin-top:.5rem}
.pager{display:flex;justify-content:space-between;gap:1rem;margin-top:1rem;padding-top:.5rem;border-top:1px solid var(--rule)}
.pager a{display:inline-block;padding:.5rem 0}
.empty{color:var(--muted)}
.site-footer{border-top:1px solid var(--rule);padding-block:1.5rem 2.5rem}
.site-footer ul{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;list-style:none;margin:.5rem 0 0;padding:0}
.site-footer p{margin:0}
@media (max-width:30rem){.site-header .wrap{flex-direction:column;padding-block:.75rem .25rem}main.wrap{padding-block:1.5rem 2.5rem}}
@media print{.site-nav,.site-search,.search-form,.skip,.site-footer ul,.pager{display:none}body{background:#fff;color:#000}}
`
	.trim()
	.replace(/\n/g, "");

let hash: Promise<string> | undefined;

/** The CSP source for the stylesheet, e.g. `'sha256-…'`, computed once per isolate. */
export function styleHashSource(): Promise<string> {
	hash ??= sha256(new TextEncoder().encode(css)).then((digest) => `'sha256-${bytesToBase64(digest)}'`);
	return hash;
}
