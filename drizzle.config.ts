import { defineConfig } from "drizzle-kit";

// Flat NNNN_name.sql files: the layout `wrangler d1 migrations apply` and readD1Migrations read.
export default defineConfig({
	dialect: "sqlite",
	schema: "./src/db/schema.ts",
	out: "./migrations",
});
