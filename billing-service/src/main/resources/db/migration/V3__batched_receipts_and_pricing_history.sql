-- Receipts are signed per batch: the signature covers a statement naming the root of a Merkle tree over the batch's
-- receipt payloads; each record keeps that statement and its inclusion proof. Records from before this change have
-- neither: their signature covers their payload directly.
alter table metering_record add column receipt_signed text; -- base64url JSON statement the signature covers
alter table metering_record add column receipt_proof  text; -- JSON array of {side, hash}, leaf to root
-- The pricing version in force for the subscription when the usage happened: what the usage is invoiced at.
alter table metering_record add column pricing_id uuid;

-- Which pricing version a subscription was on from when: usage is priced with the version in force when it happened,
-- even if the subscription moved on (a plan change, a renewal onto a newer public version) before it was invoiced.
create table subscription_pricing (
    subscription_id uuid        not null,
    effective_from  timestamptz not null,
    pricing_id      uuid        not null references pricing_version (pricing_id),
    plan_code       text        not null,
    constraint pk_subscription_pricing primary key (subscription_id, effective_from)
);
-- Subscriptions from before this change: their current version, since they were created.
insert into subscription_pricing (subscription_id, effective_from, pricing_id, plan_code)
    select subscription_id, created_at, pricing_id, plan_code from subscription;
update metering_record m set pricing_id = s.pricing_id from subscription s where s.subscription_id = m.subscription_id;
