/**
 * Waits until `done()` holds, looking every `pollMs` on this request's own timer; false when
 * `timeoutMs` passed first (the request doing the work was cancelled, say).
 *
 * For work another request started in the same isolate: awaiting that request's promise is not
 * safe in workerd. A request left waiting only on another's I/O is cancelled as hung, and code
 * after such an await runs in the other request's context, so what it builds (a Response, a
 * stream) is an I/O object this request may not use ("Cannot perform I/O on behalf of a different
 * request"). The other request publishes its outcome as plain data instead, and this one polls it.
 */
export async function pollUntil(done: () => boolean, pollMs: number, timeoutMs: number): Promise<boolean> {
	// workerd's clock moves on after each timer, so this deadline holds however busy the isolate is.
	const deadline = Date.now() + timeoutMs;
	while (!done()) {
		if (Date.now() >= deadline) return false;
		await new Promise((resolve) => setTimeout(resolve, pollMs));
	}
	return true;
}
