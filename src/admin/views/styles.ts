// The admin's own stylesheet, inlined in every admin page like the public one (src/views/styles.ts)
// and allowed by the Content-Security-Policy through its SHA-256 hash. Compact and sans-serif: the
// admin is a working tool, read at a desk or on a phone.
//
// Classes for admin views (shared by every admin screen):
//   layout   .admin-header .admin-nav .admin-main .page-head (h1 + actions) .muted .hint .visually-hidden
//   flash    .flash.flash-ok / .flash.flash-error (role="status" / role="alert")
//   forms    .form, .field (label + control + .hint + .field-error), .field-invalid, .actions (button row),
//            .filters (inline GET form), .inline-form (a one-button form inside text or a table)
//   buttons  button / .button (links), .button-secondary, .button-danger, .button-small
//   tables   .table-wrap > table.table, .num (right-aligned cells)
//   badges   .badge.badge-draft / -published / -scheduled / -trash / -admin / -editor / -revoked
//   panels   .panel (a bordered box), .panel-danger, .grid-2 (two columns on wide screens)
//   diff     .diff > .diff-line.diff-add / .diff-del / .diff-same (+ .diff-gap), .diff-sign
//   media    .media-thumb (a library picture in a table), .embed (a read-only field to copy a snippet from)
//   preview  .preview (rendered Markdown) with .preview-title, .code (monospace block), .secret (a token shown once)

import { bytesToBase64, sha256 } from "../../lib/encoding";

export const adminCss = `
:root{color-scheme:light dark;--bg:#f7f7f5;--surface:#fff;--fg:#1b1b1a;--muted:#5d5a55;--rule:#d6d3cd;--accent:#8f3512;--accent-fg:#fff;--focus:#1f5fbf;
--ok-bg:#e6f4ea;--ok-fg:#14532d;--err-bg:#fdecea;--err-fg:#8a1c12;--warn-bg:#fff4d6;--warn-fg:#6b4a00;--info-bg:#e8effb;--info-fg:#1c3f7a;
--add-bg:#e3f6e6;--del-bg:#fbe4e2;--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
@media (prefers-color-scheme:dark){:root{--bg:#151412;--surface:#1e1d1a;--fg:#ece8e1;--muted:#b0a99e;--rule:#3d3933;--accent:#f4a470;--accent-fg:#1b1208;--focus:#8fb8ff;
--ok-bg:#133021;--ok-fg:#b7ebc6;--err-bg:#3a1713;--err-fg:#ffb4a9;--warn-bg:#332a10;--warn-fg:#f4d68a;--info-bg:#16243d;--info-fg:#b3ccf5;--add-bg:#16321d;--del-bg:#3b1a17}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:400 1rem/1.5 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent);text-underline-offset:.15em}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:.5rem;top:-5rem;padding:.5rem .75rem;background:var(--fg);color:var(--bg);z-index:1}
.skip:focus{top:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.admin-header{background:var(--surface);border-bottom:1px solid var(--rule)}
.admin-header-inner,.admin-main{max-width:80rem;margin:0 auto;padding:0 1rem}
.admin-header-inner{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding-block:.5rem}
.admin-brand{font-weight:700;letter-spacing:.12em;color:var(--fg);text-decoration:none;margin-right:auto;padding:.4rem 0}
.admin-brand span{font-weight:400;letter-spacing:0;color:var(--muted)}
.admin-nav ul{display:flex;flex-wrap:wrap;gap:0 .25rem;margin:0;padding:0;list-style:none}
.admin-nav a{display:inline-block;padding:.4rem .5rem;color:var(--fg);text-decoration:none;border-radius:4px}
.admin-nav a:hover{background:var(--bg)}
.admin-nav a[aria-current=page]{background:var(--fg);color:var(--bg)}
.admin-user{display:flex;align-items:center;gap:.5rem;min-width:0;color:var(--muted);font-size:.875rem}
.admin-user span{max-width:16rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.admin-main{padding-block:1.25rem 3rem}#main:focus{outline:none}
h1,h2,h3{line-height:1.25;margin:0 0 .75rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:1.75rem}h3{font-size:1.05rem}
p,ul,ol{margin:0 0 .75rem}
.muted,.hint{color:var(--muted)}.hint{font-size:.875rem;margin:.2rem 0 0}
.page-head{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.5rem 1rem;margin-bottom:.75rem}
.page-head h1{margin:0}
.flash{padding:.65rem .9rem;border-radius:6px;margin:0 0 1rem;border:1px solid transparent}
.flash-ok{background:var(--ok-bg);color:var(--ok-fg);border-color:currentColor}
.flash-error{background:var(--err-bg);color:var(--err-fg);border-color:currentColor}
.flash p{margin:0}.flash p+p{margin-top:.25rem}
.form{max-width:48rem}
.field{margin:0 0 1rem}
.field>label,.field legend,.filters label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=text],input[type=email],input[type=password],input[type=search],input[type=datetime-local],input[type=number],select,textarea{width:100%;max-width:100%;padding:.5rem .6rem;font:inherit;color:var(--fg);background:var(--surface);border:1px solid var(--rule);border-radius:4px}
textarea{min-height:8rem;resize:vertical;line-height:1.45}
textarea.body-input{min-height:22rem;font-family:var(--mono);font-size:.9rem}
.field-invalid input,.field-invalid select,.field-invalid textarea{border-color:var(--err-fg);border-width:2px}
.field-error{color:var(--err-fg);font-weight:600;font-size:.9rem;margin:.25rem 0 0}
fieldset{border:1px solid var(--rule);border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}
button,.button{display:inline-block;padding:.5rem .9rem;font:inherit;font-weight:600;font-size:.95rem;line-height:1.3;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);cursor:pointer;text-decoration:none}
button:hover,.button:hover{filter:brightness(1.08)}
.button-secondary{background:var(--surface);color:var(--fg);border-color:var(--rule)}
.button-danger{background:var(--err-fg);border-color:var(--err-fg);color:var(--surface)}
.button-small{padding:.25rem .55rem;font-size:.85rem}
.button-link{background:none;border:0;padding:0;color:var(--accent);text-decoration:underline;font-weight:400}
.inline-form{display:inline}
.filters{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:flex-end;margin:0 0 1rem;padding:.75rem;background:var(--surface);border:1px solid var(--rule);border-radius:6px}
.filters>div{flex:1 1 9rem}.filters>.actions{flex:0 0 auto;margin:0}.filters>div.filters-q{flex:2 1 14rem}.filters label{font-size:.875rem}
.table-wrap{position:relative;overflow-x:auto;background:var(--surface);border:1px solid var(--rule);border-radius:6px}
.table-wrap+.panel{margin-top:1rem}
.table{width:100%;border-collapse:collapse;font-size:.925rem}
.table th,.table td{padding:.5rem .65rem;text-align:left;vertical-align:top;border-bottom:1px solid var(--rule)}
.table thead th{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);white-space:nowrap}
.table tbody tr:last-child td{border-bottom:0}
.table td.num,.table th.num{text-align:right}
.table time{white-space:nowrap}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.78rem;font-weight:600;white-space:nowrap;border:1px solid currentColor}
.badge-draft{background:var(--warn-bg);color:var(--warn-fg)}
.badge-published{background:var(--ok-bg);color:var(--ok-fg)}
.badge-scheduled{background:var(--info-bg);color:var(--info-fg)}
.badge-trash,.badge-revoked{background:var(--err-bg);color:var(--err-fg)}
.badge-admin{background:var(--info-bg);color:var(--info-fg)}.badge-editor{background:var(--surface);color:var(--muted)}
.pager{display:flex;justify-content:space-between;gap:1rem;margin-top:1rem}
.panel{background:var(--surface);border:1px solid var(--rule);border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem}
.panel-danger{border-color:var(--err-fg)}
.panel>:last-child{margin-bottom:0}.panel>h2:first-child{margin-top:0}.form .grid-2{margin-bottom:1rem}.grid-2>.field{margin:0}
.grid-2{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:60rem){.grid-2{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
.diff{font:400 .85rem/1.45 var(--mono);background:var(--surface);border:1px solid var(--rule);border-radius:6px;overflow-x:auto;margin:0 0 1rem;padding:.25rem 0}
.diff-line{display:block;white-space:pre-wrap;overflow-wrap:anywhere;padding:0 .6rem 0 1.9rem;text-indent:-1.3rem;min-height:1.45em}
.diff-add{background:var(--add-bg)}.diff-del{background:var(--del-bg)}
ins.diff-line,del.diff-line{text-decoration:none}
.diff-figure{margin:0 0 1.25rem}.diff-figure figcaption{margin:0 0 .35rem}
.diff-sign{display:inline-block;width:1.3rem;text-indent:0;color:var(--muted);user-select:none}
.diff-gap{color:var(--muted);font-style:italic}
.preview{background:var(--surface);border:1px solid var(--rule);border-radius:6px;padding:1rem 1.25rem;font-family:ui-serif,Georgia,serif;font-size:1.05rem;line-height:1.6;max-width:48rem;overflow-wrap:break-word}
.preview-title{font:700 1.6rem/1.2 ui-sans-serif,system-ui,sans-serif;margin:0 0 .5rem}.preview img{max-width:100%;height:auto}.preview pre{overflow-x:auto}
.code,.secret{font-family:var(--mono);font-size:.9rem;background:var(--surface);border:1px solid var(--rule);border-radius:4px;padding:.5rem .65rem;overflow-wrap:anywhere}
.secret{display:block;user-select:all;font-size:1rem}
pre.code{white-space:pre-wrap;margin:0 0 .75rem}
dl.meta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem 1rem;margin:0 0 1rem}
dl.meta dt{color:var(--muted)}dl.meta dd{margin:0}
.media-thumb{display:block;width:8rem;max-width:100%;height:auto;background:var(--rule)}.media-preview{display:block;width:24rem;max-width:100%;height:auto;background:var(--rule)}.embed{width:100%;min-width:16rem;font-family:var(--mono);font-size:.85rem}
@media (max-width:30rem){.admin-header-inner{padding-block:.35rem}.admin-nav a{padding:.35rem .4rem}h1{font-size:1.3rem}.table th,.table td{padding:.45rem .5rem}}
`
	.trim()
	.replace(/\n/g, "");

let hash: Promise<string> | undefined;

/** The CSP source for the admin stylesheet, e.g. `'sha256-…'`, computed once per isolate. */
export function adminStyleHashSource(): Promise<string> {
	hash ??= sha256(new TextEncoder().encode(adminCss)).then((digest) => `'sha256-${bytesToBase64(digest)}'`);
	return hash;
}
