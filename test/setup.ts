import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Runs before every test file: the real migrations on the test D1 (idempotent).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
