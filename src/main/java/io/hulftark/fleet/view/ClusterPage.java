package io.hulftark.fleet.view;

import java.util.List;

/** A page of the cluster table; {@code page} counts from 0. */
public record ClusterPage(List<ClusterRow> items, int page, int size, long total) {
}
