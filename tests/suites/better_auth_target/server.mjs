// Better Auth with its SCIM plugin (@better-auth/scim) on the in-memory adapter, served by Node's
// http module as its docs' toNodeHandler does: one SCIM connection whose credential is the bearer
// token. SCIM lives under /api/auth/scim/v2. Usage: node server.mjs PORT TOKEN
import http from "node:http";
import {randomBytes} from "node:crypto";
import {betterAuth} from "better-auth";
import {memoryAdapter} from "better-auth/adapters/memory";
import {toNodeHandler} from "better-auth/node";
import {scim} from "@better-auth/scim";

const [port, token] = process.argv.slice(2);
// the memory adapter needs each model's table to exist before its first use
const tables = Object.fromEntries(["user", "session", "account", "verification", "scimConnectionBinding",
    "scimIdentityTombstone", "scimSubject", "scimUser", "scimProjectionGrant", "scimGroup",
    "scimGroupMember"].map((model) => [model, []]));

const auth = betterAuth({
    baseURL: `http://127.0.0.1:${port}`,
    secret: randomBytes(32).toString("hex"),
    database: memoryAdapter(tables),
    telemetry: {enabled: false},
    plugins: [scim({connections: [{id: "okta", credentials: [{id: "scimcert", token}]}]})],
});

http.createServer(toNodeHandler(auth)).listen(Number(port), "127.0.0.1", () => console.log(`listening ${port}`));
