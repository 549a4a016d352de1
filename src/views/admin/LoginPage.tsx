export type LoginForm = {
	/** As typed, so that a failed attempt keeps it; the password is never sent back. */
	email: string;
	/** Where to go after signing in (already checked to be an admin path). */
	next: string;
	/** Why the last attempt failed, shown above the form. */
	error?: string | undefined;
	fields?: { email?: string | undefined; password?: string | undefined } | undefined;
};

export function LoginPage(props: LoginForm) {
	const { email, next, error, fields = {} } = props;
	return (
		<>
			<div class="page-head">
				<h1>Sign in</h1>
			</div>
			{error && (
				<div class="flash flash-error" role="alert" id="login-error">
					<p>{error}</p>
				</div>
			)}
			<form class="form" method="post" action="/admin/login" aria-describedby={error ? "login-error" : undefined}>
				<input type="hidden" name="next" value={next} />
				<div class={fields.email ? "field field-invalid" : "field"}>
					<label for="login-email">Email</label>
					<input
						id="login-email"
						name="email"
						type="email"
						value={email}
						autocomplete="username"
						autocapitalize="none"
						spellcheck={false}
						required
						maxlength={320}
						aria-invalid={fields.email ? "true" : undefined}
						aria-describedby={fields.email ? "login-email-error" : undefined}
					/>
					{fields.email && (
						<p class="field-error" id="login-email-error">
							{fields.email}
						</p>
					)}
				</div>
				<div class={fields.password ? "field field-invalid" : "field"}>
					<label for="login-password">Password</label>
					<input
						id="login-password"
						name="password"
						type="password"
						autocomplete="current-password"
						required
						aria-invalid={fields.password ? "true" : undefined}
						aria-describedby={fields.password ? "login-password-error" : undefined}
					/>
					{fields.password && (
						<p class="field-error" id="login-password-error">
							{fields.password}
						</p>
					)}
				</div>
				<div class="actions">
					<button type="submit">Sign in</button>
				</div>
			</form>
		</>
	);
}
