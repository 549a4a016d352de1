// The types of ./markdown.mjs, which scripts/build-renderer.ts builds from src/lib/markdown.ts
// (git-ignored build output; this declaration is what tsc sees, and it cannot drift from the source).
export * from "../lib/markdown.ts";
