// Markdown rendering, loaded on first use. The renderer (./lib/markdown.ts with markdown-it) is a
// module of its own, ./gen/markdown.mjs (built by scripts/build-renderer.ts), which wrangler uploads
// beside the Worker's main module (wrangler.toml `rules`) instead of bundling it in. Only admin
// saves and previews render; readers get the stored HTML, so a reader's cold start never loads it
// (docs/operations.md#bundle-size). The runtime imports a module once per isolate; later calls
// reuse it. This file sits at the top of src/ because wrangler keeps the import's path as written,
// and from the main module that path must name the renderer.

import type { PictureSizes, RenderedBody } from "./lib/markdown";

export type { PictureSizes, RenderedBody };

/** Markdown as the HTML readers get (src/lib/markdown.ts renderMarkdown). */
export async function renderMarkdown(source: string): Promise<string> {
	return (await import("./gen/markdown.mjs")).renderMarkdown(source);
}

/**
 * The body as HTML and as plain text, from one parse (src/lib/markdown.ts renderBody); the library
 * pictures it embeds get the sizes given.
 */
export async function renderBody(source: string, pictures: PictureSizes = {}): Promise<RenderedBody> {
	return (await import("./gen/markdown.mjs")).renderBody(source, pictures);
}
