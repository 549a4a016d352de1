// One `wrangler dev` for the whole suite (fresh state folder, migrations and sample content),
// with an admin made through the editor CLI, as a person setting up the site would.
import { type Admin, addAdminWithCli, newAdmin } from "../lib/admin.ts";
import { type DevServer, startDevServer } from "../lib/dev-server.ts";

export type { Admin };

export type E2EServer = { server: DevServer; admin: Admin };

export async function startE2EServer(): Promise<E2EServer> {
	const admin = newAdmin("e2e-admin@example.com", "E2E Admin");
	const server = await startDevServer({ beforeStart: (stateDir) => addAdminWithCli(stateDir, admin) });
	return { server, admin };
}
