import { Hono } from "hono";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { requestPurge } from "../services/purge";
import { body } from "./body";

/** An editor's own purge: `{ slugs: [...] }` or `{ all: true }`; answers with the purge report. */
export const purge = new Hono<AppEnv>();

purge.post("/purge", async (c) => c.json(await requestPurge(depsOf(c), await body(c, ["slugs", "all"]))));
