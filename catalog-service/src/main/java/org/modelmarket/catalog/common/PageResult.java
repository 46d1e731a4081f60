package org.modelmarket.catalog.common;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a query with the total count.
 *
 * @param total how many items match in all
 * @param page zero-based page index
 * @param size page size asked for
 */
public record PageResult<T>(long total, int page, int size, List<T> items) {

    public <R> PageResult<R> map(Function<T, R> mapper) {
        return new PageResult<>(total, page, size, items.stream().map(mapper).toList());
    }
}
