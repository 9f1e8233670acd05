# __TITLE__ (`__TYPE__`)

Scaffolded by `rotor partner new __TYPE__`. It rotates an API key through a key API with
`POST /v1/keys`, `GET /v1/whoami` and `DELETE /v1/keys/{keyId}`; replace the API calls in `api.ts`
with your partner's, and the simulator with a faithful copy of its behaviour.

- `manifest.ts`: the one manifest (type, version, schemas, egress rules, limits, loaders).
- `types.ts`: the secret value and metadata types.
- `api.ts`: calls to the partner, through `context.http` only.
- `rotator.ts`: the hooks (create, discard, set, test, promote, revoke, preflight).
- `simulator/`: a loopback simulator with a conformance `probe`.
- `test/`: plugin tests; the shared conformance suite runs on top.

```sh
npx rotor partner test __DIR__   # the plugin's tests and the conformance suite
npx rotor partner vet __DIR__    # conformance + static checks, then the signed catalog entry
```

See `partners/README.md` for the author's guide.
