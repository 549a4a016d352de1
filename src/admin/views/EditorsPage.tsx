import { editorRoles } from "../../db/schema";
import { EDITOR_NAME_MAX } from "../limits";
import type { EditorListItem } from "../services/editors";
import { Field, FormError, type FormState } from "./Field";
import { FlashMessage } from "./Layout";
import { Table } from "./Table";
import { AdminTime } from "./Time";

export type EditorFormValues = { name: string; role: string };

const ROLE_HINT =
	"An editor writes and publishes; an admin also manages editors, tokens, topics, regions and permanent deletes.";

function RoleBadge(props: { role: string }) {
	return <span class={`badge badge-${props.role}`}>{props.role}</span>;
}

export function EditorsList(props: { editors: EditorListItem[]; me: number }) {
	return (
		<>
			<div class="page-head">
				<h1>Editors</h1>
			</div>
			<Table columns={["Name", "Email", "Role", "Since"]}>
				{props.editors.map((editor) => (
					<tr>
						<td>
							<a href={`/admin/editors/${editor.id}`}>{editor.name}</a>
							{editor.id === props.me && <span class="muted"> (you)</span>}
						</td>
						<td>{editor.email}</td>
						<td>
							<RoleBadge role={editor.role} />
						</td>
						<td>
							<AdminTime ms={editor.createdAt} />
						</td>
					</tr>
				))}
			</Table>
			<section class="panel" aria-labelledby="add-heading">
				<h2 id="add-heading">Adding an editor</h2>
				<p>
					Editors are created from the command line, where the password never passes through a browser (add{" "}
					<code>--remote</code> for the deployed site):
				</p>
				<pre class="code">
					npm run editor -- add --email person@example.com --name "Their Name" --role editor --password-stdin
				</pre>
				<p class="hint">
					<code>npm run editor -- list</code> lists them; <code>npm run editor -- reset-password</code> sets a new
					password.
				</p>
			</section>
		</>
	);
}

/** One editor: their name and role, and removing them (never yourself, never the last admin). */
export function EditorEdit(props: {
	editor: EditorListItem;
	me: number;
	form: FormState<EditorFormValues>;
	removeError?: string | undefined;
}) {
	const { editor } = props;
	const { values, fields } = props.form;
	const self = editor.id === props.me;
	return (
		<>
			<div class="page-head">
				<h1>{editor.name}</h1>
				<RoleBadge role={editor.role} />
			</div>
			<p>
				<a href="/admin/editors">← All editors</a>
			</p>
			<dl class="meta">
				<dt>Email</dt>
				<dd>{editor.email}</dd>
				<dt>Since</dt>
				<dd>
					<AdminTime ms={editor.createdAt} />
				</dd>
			</dl>
			<form class="form" method="post" action={`/admin/editors/${editor.id}`}>
				<FormError error={props.form.error} fields={fields} />
				<Field
					id="editor-name"
					label="Name"
					error={fields?.name}
					control={(aria) => (
						<input
							type="text"
							id="editor-name"
							name="name"
							value={values.name}
							required
							maxlength={EDITOR_NAME_MAX}
							{...aria}
						/>
					)}
				/>
				<Field
					id="editor-role"
					label="Role"
					hint={ROLE_HINT}
					error={fields?.role}
					control={(aria) => (
						<select id="editor-role" name="role" {...aria}>
							{editorRoles.map((role) => (
								<option value={role} selected={values.role === role}>
									{role}
								</option>
							))}
						</select>
					)}
				/>
				<div class="actions">
					<button type="submit">Save</button>
				</div>
			</form>

			<section class="panel panel-danger" aria-labelledby="remove-heading">
				<h2 id="remove-heading">Remove this editor</h2>
				{props.removeError && <FlashMessage flash={{ kind: "error", text: props.removeError }} />}
				{self ? (
					<p>You cannot remove yourself; another admin can.</p>
				) : (
					<form method="post" action={`/admin/editors/${editor.id}/delete`}>
						<p>
							They are signed out at once, and the API tokens acting as them stop working. Their past revisions and
							audit entries still name them. This cannot be undone (the command line can add them again).
						</p>
						<button type="submit" class="button-danger">
							Remove {editor.name}
						</button>
					</form>
				)}
			</section>
		</>
	);
}
