// A SCIM service provider built as SCIMMY's docs describe: scimmy-routers on Express, with
// ingress/egress/degress handlers over in-memory stores (the app's part: storage, filtering by
// resource.filter.match, uniqueness, group membership). Usage: node server.mjs PORT TOKEN
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";
import {randomUUID} from "node:crypto";

const [port, token] = process.argv.slice(2);
const users = new Map();
const groups = new Map();
const plain = (instance) => JSON.parse(JSON.stringify(instance));
const now = () => new Date().toISOString();

function withMeta(record, previous) {
    return {...record, meta: {created: previous?.meta?.created ?? now(), lastModified: now()}};
}

function groupsOf(userId) {
    return [...groups.values()].filter(g => (g.members ?? []).some(m => m.value === userId))
        .map(g => ({value: g.id, display: g.displayName, type: "direct"}));
}

const userOut = (u) => ({...u, groups: groupsOf(u.id)});

SCIMMY.Config.set({patch: true, filter: {supported: true, maxResults: 200}, sort: true,
                   bulk: {supported: true, maxOperations: 100, maxPayloadSize: 1048576}});

SCIMMY.Resources.declare(SCIMMY.Resources.User).extend(SCIMMY.Schemas.EnterpriseUser, false)
    .egress((resource) => {
        const {id, filter} = resource;
        if (id) {
            if (!users.has(id)) throw new Error(`no user ${id}`);
            return userOut(users.get(id));
        }
        const all = [...users.values()].map(userOut);
        return filter ? filter.match(all) : all;
    })
    .ingress((resource, instance) => {
        const data = plain(instance);
        delete data.groups;
        const id = resource.id ?? randomUUID();
        if (resource.id && !users.has(id)) throw new Error(`no user ${id}`);
        const taken = [...users.values()].some(u => u.id !== id
            && u.userName.toLowerCase() === String(data.userName).toLowerCase());
        if (taken) throw new SCIMMY.Types.Error(409, "uniqueness", `userName ${data.userName} is taken`);
        const record = withMeta({...data, id}, users.get(id));
        users.set(id, record);
        return userOut(record);
    })
    .degress((resource) => {
        if (!users.delete(resource.id)) throw new Error(`no user ${resource.id}`);
        for (const g of groups.values()) g.members = (g.members ?? []).filter(m => m.value !== resource.id);
    });

SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .egress((resource) => {
        const {id, filter} = resource;
        if (id) {
            if (!groups.has(id)) throw new Error(`no group ${id}`);
            return groups.get(id);
        }
        const all = [...groups.values()];
        return filter ? filter.match(all) : all;
    })
    .ingress((resource, instance) => {
        const data = plain(instance);
        const id = resource.id ?? randomUUID();
        if (resource.id && !groups.has(id)) throw new Error(`no group ${id}`);
        // SCIMMY's Group schema lists "User" and "Group" as member types: both may be members
        const members = (data.members ?? []).map(m => {
            const user = users.get(m.value), group = groups.get(m.value);
            if (user) return {...m, display: user.displayName ?? user.userName, type: "User"};
            if (group) return {...m, display: group.displayName, type: "Group"};
            throw new SCIMMY.Types.Error(400, "invalidValue", `no user or group ${m.value}`);
        });
        const record = withMeta({...data, members, id}, groups.get(id));
        groups.set(id, record);
        return record;
    })
    .degress((resource) => {
        if (!groups.delete(resource.id)) throw new Error(`no group ${resource.id}`);
    });

const app = express();
app.use("/scim/v2", new SCIMMYRouters({
    type: "bearer",
    handler: (request) => {
        const [scheme, given] = (request.header("Authorization") ?? "").split(" ");
        if (scheme?.toLowerCase() !== "bearer" || given !== token) throw new Error("Authorization failure");
        // the token is a client's, not a user's: no ID, so /Me answers 501 (scimmy-routers' README)
    },
}));
app.listen(Number(port), "127.0.0.1", () => console.log(`listening ${port}`));
