-- Scoped API tokens (hf_...): the secret itself is never stored, only its SHA-256.
CREATE TABLE api_token (
    id               uuid        PRIMARY KEY,
    owner_subject    text        NOT NULL,
    name             text        NOT NULL,
    secret_hash      bytea       NOT NULL UNIQUE,
    scopes           text[]      NOT NULL,
    listings         text[]      NOT NULL DEFAULT '{}',
    namespace        text,
    -- What the owner's Keycloak token said at creation; the forwarded JWT narrows these by the scopes.
    owner_roles      text[]      NOT NULL,
    owner_namespaces text[]      NOT NULL DEFAULT '{}',
    owner_name       text,
    owner_email      text,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz,
    last_used_at     timestamptz,
    revoked_at       timestamptz
);

CREATE INDEX api_token_owner ON api_token (owner_subject, created_at);
