-- Catalog schema, version 3: the outbox and processed-event tables as the platform library expects them
-- (deploy/platform/README.md).

-- The trace context of the transaction that wrote the row (Debezium's column name), continued by the relay.
alter table outbox add column tracingspancontext text;

-- Wakes the relay at commit: NOTIFY is delivered only when the inserting transaction commits, so no service code
-- has to wake the relay after its transactions.
create or replace function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify(tg_table_name, '');
    return null;
end $$;
create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();

-- Processed events are keyed per consumer (one event may matter to two consumers); the catalog's consumers are
-- named after their topics, so the existing rows keep their meaning.
alter table processed_event add column consumer text;
update processed_event set consumer = topic;
alter table processed_event alter column consumer set not null;
alter table processed_event drop constraint pk_processed_event;
alter table processed_event add constraint pk_processed_event primary key (consumer, event_id);
alter table processed_event drop column topic;
create index ix_processed_event_processed_at on processed_event (processed_at);
