package io.hulftark.cli;

import io.quarkus.runtime.annotations.QuarkusMain;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The entry point. The kit's one-shot commands run here without booting Quarkus: they open no
 * port and run no scheduler (so they work while the agent holds its port), and they start in a
 * fraction of a Quarkus boot, which matters because LifeKeeper runs quickCheck every few minutes.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        Charset cs = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true);
        int code = Cli.execute(args, out, err, System.getenv());
        System.exit(code);
    }
}
