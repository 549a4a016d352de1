export function ErrorPage(props: { status: number; title: string; message: string }) {
	return (
		<>
			<p class="kicker">Error {props.status}</p>
			<h1>{props.title}</h1>
			<p>{props.message}</p>
			<p>
				<a href="/">Go to the latest news</a>
			</p>
		</>
	);
}
