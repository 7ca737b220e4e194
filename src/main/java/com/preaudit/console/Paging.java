package com.preaudit.console;

import java.util.List;

/** One page of a list: the rows shown and the links to the neighbours (query string kept). */
@io.quarkus.qute.TemplateData
public record Paging<T>(List<T> rows, int page, int pages, long total, String query) {

    static final int SIZE = 30;

    static <T> Paging<T> of(List<T> all, String pageParam, String query) {
        int pages = Math.max(1, (all.size() + SIZE - 1) / SIZE);
        int page = 1;
        try {
            page = pageParam == null || pageParam.isBlank() ? 1 : Integer.parseInt(pageParam.trim());
        } catch (NumberFormatException e) {
            page = 1;
        }
        page = Math.min(Math.max(page, 1), pages);
        int from = (page - 1) * SIZE;
        return new Paging<>(all.subList(Math.min(from, all.size()), Math.min(from + SIZE, all.size())), page, pages, all.size(), query);
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pages;
    }

    public String previous() {
        return link(page - 1);
    }

    public String next() {
        return link(page + 1);
    }

    private String link(int p) {
        return "?" + (query == null || query.isEmpty() ? "" : query + "&") + "page=" + p;
    }
}
