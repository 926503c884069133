package io.hulftark.cli;

import picocli.CommandLine.Option;

/** The options LifeKeeper passes to every action script. */
public final class TagOptions {

    @Option(names = {"-t", "--tag"}, required = true, paramLabel = "TAG", description = "The LifeKeeper resource tag.")
    String tag;

    @Option(names = {"-i", "--id"}, paramLabel = "ID", description = "The LifeKeeper resource id (accepted, shown in debug output).")
    String id;
}
