import { EMAIL_MAX } from "../limits";
import { Field } from "./Field";

export type LoginForm = {
	/** As typed, so that a failed attempt keeps it; the password is never sent back. */
	email: string;
	/** Where to go after signing in (already checked to be an admin path). */
	next: string;
	/** Just signed out: the page confirms it. */
	signedOut?: boolean | undefined;
	/** Why the last attempt failed, shown above the form. */
	error?: string | undefined;
	fields?: { email?: string | undefined; password?: string | undefined } | undefined;
};

export function LoginPage(props: LoginForm) {
	const { email, next, signedOut, error, fields = {} } = props;
	return (
		<>
			<div class="page-head">
				<h1>Sign in</h1>
			</div>
			{signedOut && !error && (
				<div class="flash flash-ok" role="status">
					<p>You are signed out.</p>
				</div>
			)}
			{error && (
				<div class="flash flash-error" role="alert" id="login-error">
					<p>{error}</p>
				</div>
			)}
			<form class="form" method="post" action="/admin/login" aria-describedby={error ? "login-error" : undefined}>
				<input type="hidden" name="next" value={next} />
				<Field
					id="login-email"
					label="Email"
					error={fields.email}
					control={(aria) => (
						<input
							id="login-email"
							name="email"
							type="email"
							value={email}
							autocomplete="username"
							autocapitalize="none"
							spellcheck={false}
							required
							maxlength={EMAIL_MAX}
							{...aria}
						/>
					)}
				/>
				<Field
					id="login-password"
					label="Password"
					error={fields.password}
					control={(aria) => (
						<input
							id="login-password"
							name="password"
							type="password"
							autocomplete="current-password"
							required
							{...aria}
						/>
					)}
				/>
				<div class="actions">
					<button type="submit">Sign in</button>
				</div>
			</form>
		</>
	);
}
