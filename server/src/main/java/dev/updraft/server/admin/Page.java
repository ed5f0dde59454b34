package dev.updraft.server.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One page of an admin API list: {@code {"entries": [...], "next_cursor": "..."}}; {@code next_cursor} is
 * {@code null} on the last page (docs/admin-api.md, "Lists and paging").
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Page<T>(List<T> entries, String nextCursor) {}
