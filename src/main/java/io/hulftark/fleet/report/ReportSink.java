package io.hulftark.fleet.report;

import io.hulftark.wire.Report;

import io.hulftark.fleet.store.IngestResult;

/** Where validated reports go: the fleet view's ingest, whether the agent pushed the report or the fleet view polled it. */
@FunctionalInterface
public interface ReportSink {

    IngestResult accept(Report report);
}
