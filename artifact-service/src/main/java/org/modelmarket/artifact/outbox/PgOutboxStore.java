package org.modelmarket.artifact.outbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@link OutboxStore} on the reactive PostgreSQL pool. Plain SQL rather than Hibernate: the relay runs outside any
 * request, needs no entity state, and reads {@code payload} as text to publish it byte for byte.
 */
@ApplicationScoped
public class PgOutboxStore implements OutboxStore {

    private static final String FETCH_UNSENT = """
            select id, seq, topic, aggregateid, type, payload::text as payload
            from outbox where sent_at is null order by seq limit $1""";

    private final Pool pool;

    public PgOutboxStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<List<OutboxRecord>> fetchUnsent(int limit) {
        return pool.preparedQuery(FETCH_UNSENT).execute(Tuple.of(limit)).map(rows -> {
            List<OutboxRecord> records = new ArrayList<>(rows.size());
            for (Row row : rows) {
                records.add(new OutboxRecord(row.getUUID("id"), row.getLong("seq"), row.getString("topic"),
                        row.getString("aggregateid"), row.getString("type"), row.getString("payload")));
            }
            return records;
        });
    }

    @Override
    public Uni<Void> markSent(UUID id) {
        return pool.preparedQuery("update outbox set sent_at = now() where id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    @Override
    public Uni<Integer> purgeSentBefore(Instant cutoff) {
        return pool.preparedQuery("delete from outbox where sent_at < $1")
                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC)))
                .map(SqlResult::rowCount);
    }
}
