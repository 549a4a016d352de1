/** An error inside the admin: said in the admin's own layout, with a way back into it. */
export function AdminErrorPage(props: { status: number; title: string; message: string; signedIn: boolean }) {
	return (
		<>
			<p class="muted">Error {props.status}</p>
			<h1>{props.title}</h1>
			<p>{props.message}</p>
			<p>{props.signedIn ? <a href="/admin">Back to the articles</a> : <a href="/admin/login">Go to sign-in</a>}</p>
		</>
	);
}
