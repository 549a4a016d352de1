const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

// biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Escapes text for XML content or attributes, dropping characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
	return text.replace(FORBIDDEN, "").replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}
