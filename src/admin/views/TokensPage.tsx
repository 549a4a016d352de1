import type { AdminToken } from "../../db/queries/api-tokens";
import { TOKEN_NAME_MAX } from "../limits";
import { Field, FormError, type FormState } from "./Field";
import { Table } from "./Table";
import { AdminTime } from "./Time";

export type TokenFormValues = { name: string; editorId: string };

/**
 * How a token is told apart from another of the same name: its id, which is not secret (only
 * the token's text is) and is what the audit log names it by ("token:4").
 */
export function tokenLabel(token: Pick<AdminToken, "id">): string {
	return `#${token.id}`;
}

type EditorOption = { id: number; name: string; email: string; role: string };

/**
 * The API tokens, the form that issues one, and, right after issuing, the token itself: the only
 * time it is ever shown (only its hash is stored).
 */
export function TokensPage(props: {
	tokens: AdminToken[];
	editors: EditorOption[];
	form: FormState<TokenFormValues>;
	created?: { token: string; apiToken: AdminToken } | undefined;
}) {
	const { values, fields } = props.form;
	return (
		<>
			<div class="page-head">
				<h1>API tokens</h1>
			</div>
			{props.created && (
				<section class="panel" aria-labelledby="created-heading">
					<h2 id="created-heading">
						Token {tokenLabel(props.created.apiToken)} “{props.created.apiToken.name}” created
					</h2>
					<p>
						Copy it now: it is shown only this once and cannot be read back later. It acts as{" "}
						{props.created.apiToken.editorName} ({props.created.apiToken.editorEmail}).
					</p>
					<code class="secret" id="new-token">
						{props.created.token}
					</code>
					<p class="hint">
						Send it as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/admin/…</code>.
					</p>
					<p>
						<strong>Do not reload this page:</strong> that sends the form again and creates another token. When you have
						copied it, <a href="/admin/tokens">go back to the token list</a>.
					</p>
				</section>
			)}
			{props.tokens.length === 0 ? (
				<p class="muted">No API tokens yet.</p>
			) : (
				<Table columns={["Token", "Name", "Acts as", "Created", "Last used", "Status"]}>
					{props.tokens.map((token) => (
						<tr>
							<td>{tokenLabel(token)}</td>
							<td>{token.name}</td>
							<td>
								{token.editorName} <span class="muted">({token.editorEmail})</span>
							</td>
							<td>
								<AdminTime ms={token.createdAt} />
							</td>
							<td>
								<AdminTime ms={token.lastUsedAt} empty="never" />
							</td>
							<td>
								{token.revokedAt !== null ? (
									<>
										<span class="badge badge-revoked">revoked</span> <AdminTime ms={token.revokedAt} />
									</>
								) : (
									<form class="inline-form" method="post" action={`/admin/tokens/${token.id}/revoke`}>
										<button type="submit" class="button-danger button-small">
											Revoke <span class="visually-hidden">{`${tokenLabel(token)} ${token.name}`}</span>
										</button>
									</form>
								)}
							</td>
						</tr>
					))}
				</Table>
			)}

			<h2 id="new">New token</h2>
			<form class="form" method="post" action="/admin/tokens">
				<FormError error={props.form.error} fields={fields} />
				<Field
					id="token-name"
					label="Name"
					hint="What uses it, e.g. “newsroom import script”: you will see this, never the token, in the list."
					error={fields?.name}
					control={(aria) => (
						<input
							type="text"
							id="token-name"
							name="name"
							value={values.name}
							required
							maxlength={TOKEN_NAME_MAX}
							{...aria}
						/>
					)}
				/>
				<Field
					id="token-editor"
					label="Acts as"
					hint="Requests with the token can do what this editor can; their changes are logged under this editor."
					error={fields?.editorId}
					control={(aria) => (
						<select id="token-editor" name="editorId" required {...aria}>
							<option value="" selected={values.editorId === ""}>
								Choose an editor
							</option>
							{props.editors.map((editor) => (
								<option value={String(editor.id)} selected={values.editorId === String(editor.id)}>
									{`${editor.name} (${editor.email}, ${editor.role})`}
								</option>
							))}
						</select>
					)}
				/>
				<div class="actions">
					<button type="submit">Create token</button>
				</div>
			</form>
		</>
	);
}
