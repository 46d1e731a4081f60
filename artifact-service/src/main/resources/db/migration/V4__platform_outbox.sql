-- The outbox moves onto the platform library's relay (deploy/platform/README.md, "Outbox DDL"): the row may carry
-- the aggregate's state revision (null for download events, which are not about a listing's state) and the W3C trace
-- context of the request that wrote it (Debezium's tracingspancontext), and every insert wakes the relay at commit.
alter table outbox add column aggregateversion bigint;
alter table outbox add column tracingspancontext text;

-- pg_notify is delivered only when the inserting transaction commits: the leading relay LISTENs on the table's name.
create or replace function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify(tg_table_name, '');
    return null;
end $$;
create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();
