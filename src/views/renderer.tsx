import { jsxRenderer } from "hono/jsx-renderer";
import { type HeadProps, Layout } from "./Layout";

declare module "hono" {
	// Declaration merging (how Hono types c.render's props) needs an interface, not a type alias.
	interface ContextRenderer {
		// biome-ignore lint/style/useShorthandFunctionType: see above
		(content: string | Promise<string>, head: HeadProps): Response | Promise<Response>;
	}
}

/** Every HTML page goes through `c.render(body, head)` into the one layout. */
export function renderer() {
	return jsxRenderer(({ children, ...head }) => <Layout {...(head as unknown as HeadProps)}>{children}</Layout>, {
		docType: true,
	});
}
