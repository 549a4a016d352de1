// A small, strict XML reader for tests of the site's XML (no parser runs inside workerd): it
// throws on anything not well formed (a tag closed out of order, a bare "&" or "<", text or a
// second element outside the root, an undeclared prefix) and resolves namespaces, so that a test
// can check what a crawler's parser would see: elements by namespace URI and local name.

export type XmlElement = {
	ns: string | null;
	name: string;
	attrs: Record<string, string>;
	children: XmlElement[];
	text: string;
};

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const NAME = "[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?";
const TAG = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
const ATTR = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, "g");

function decode(text: string): string {
	return text.replace(/&([^;]*);|&/g, (all, name: string | undefined) => {
		if (name === undefined) throw new Error(`bare "&" in ${JSON.stringify(text.slice(0, 60))}`);
		const hex = /^#x([0-9a-fA-F]+)$/.exec(name)?.[1];
		const dec = /^#([0-9]+)$/.exec(name)?.[1];
		if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
		if (dec) return String.fromCodePoint(Number(dec));
		const entity = ENTITIES[name];
		if (entity === undefined) throw new Error(`unknown entity ${all}`);
		return entity;
	});
}

type Open = { el: XmlElement; qname: string; scope: Record<string, string> };

export function parseXml(xml: string): XmlElement {
	let rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/, "");
	if (rest === xml) throw new Error("no XML declaration");
	const stack: Open[] = [];
	let root: XmlElement | null = null;
	const resolve = (qname: string, scope: Record<string, string>, isAttr = false) => {
		const [prefix, local] = qname.includes(":") ? qname.split(":") : [null, qname];
		if (prefix === null) return { ns: isAttr ? null : (scope[""] ?? null), name: qname };
		const ns = scope[prefix];
		if (ns === undefined) throw new Error(`undeclared prefix ${prefix}`);
		return { ns, name: local ?? "" };
	};
	while (rest.length > 0) {
		const lt = rest.indexOf("<");
		const text = lt === -1 ? rest : rest.slice(0, lt);
		if (text.length > 0) {
			const top = stack.at(-1);
			if (!top) {
				if (text.trim() !== "") throw new Error(`text outside the root: ${JSON.stringify(text.slice(0, 60))}`);
			} else top.el.text += decode(text);
		}
		if (lt === -1) break;
		rest = rest.slice(lt);
		const m = TAG.exec(rest);
		if (!m) throw new Error(`malformed markup at ${JSON.stringify(rest.slice(0, 60))}`);
		rest = rest.slice(m[0].length);
		const [, closing, qname = "", attrText = "", selfClosing] = m;
		if (closing) {
			const open = stack.pop();
			if (!open || open.qname !== qname || attrText || selfClosing) throw new Error(`unexpected </${qname}>`);
			continue;
		}
		const raw: Record<string, string> = {};
		for (const a of attrText.matchAll(ATTR)) {
			const key = a[1] ?? "";
			if (key in raw) throw new Error(`attribute ${key} twice`);
			raw[key] = decode(a[2] ?? a[3] ?? "");
		}
		const scope = { ...(stack.at(-1)?.scope ?? {}) };
		for (const [key, value] of Object.entries(raw)) {
			if (key === "xmlns") scope[""] = value;
			else if (key.startsWith("xmlns:")) scope[key.slice(6)] = value;
		}
		const attrs: Record<string, string> = {};
		for (const [key, value] of Object.entries(raw)) {
			if (key !== "xmlns" && !key.startsWith("xmlns:")) attrs[resolve(key, scope, true).name] = value;
		}
		const el: XmlElement = { ...resolve(qname, scope), attrs, children: [], text: "" };
		const parent = stack.at(-1);
		if (parent) parent.el.children.push(el);
		else if (root) throw new Error("a second root element");
		else root = el;
		if (!selfClosing) stack.push({ el, qname, scope });
	}
	if (stack.length > 0) throw new Error(`<${stack.at(-1)?.qname}> is never closed`);
	if (!root) throw new Error("no root element");
	return root;
}

/** The children of `el` in namespace `ns` named `name`. */
export function childrenOf(el: XmlElement, ns: string, name: string): XmlElement[] {
	return el.children.filter((c) => c.ns === ns && c.name === name);
}

/** The one child of `el` in namespace `ns` named `name`; throws unless there is exactly one. */
export function only(el: XmlElement, ns: string, name: string): XmlElement {
	const found = childrenOf(el, ns, name);
	if (found.length !== 1) throw new Error(`expected one ${name} in ${el.name}, found ${found.length}`);
	return found[0] as XmlElement;
}
