#!/usr/bin/perl
#
# hulft-ark-lk.pl - LifeKeeper for Windows launcher of hulft-ark (replaces hulft_generic_ark.pl).
#
# Register THIS ONE script for restore, remove, quickCheck and recover of a Generic Application
# resource; leave deepCheck empty; put the HULFT service name in the application info.
# LifeKeeper copies it under folders named !restore, !remove, !quickCheck, !recover and runs it as
#     perl <that copy> -t <tag> -i <id>
# The launcher only starts hulft-ark; hulft-ark learns the action from the path of the copy
# (--script), so that path is passed as it is: made absolute, never resolved through links.
#
# Exit code: hulft-ark's own, unchanged (0 success, 1 failure, 2 usage); 1 if java cannot be run.
#
use strict;
use warnings;
use File::Spec;

# ---- configuration: the same on every node ------------------------------------------------
# The app folder: where install.ps1 put hulft-ark (it sets HULFTARK_HOME when it is elsewhere).
my $APP = $ENV{HULFTARK_HOME} || 'C:\Program Files\hulft-ark';
# java: HULFTARK_JAVA, else the JRE shipped in the app folder, else java on the PATH.
my $JAVA = $ENV{HULFTARK_JAVA} || bundled_java($APP) || 'java';
# One-shot JVM: no HTTP, no schedulers (the app turns them off too), and start fast.
my @JVM_FLAGS = (
    '-Dquarkus.http.host-enabled=false',
    '-Dquarkus.scheduler.enabled=false',
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Xshare:auto',
);
# A class-data archive made for this JVM (README, "Start-up time") saves about 0.1 s a run.
my $CDS = File::Spec->catfile($APP, 'hulft-ark.jsa');
push @JVM_FLAGS, "-XX:SharedArchiveFile=$CDS", '-Xlog:cds=off', '-Xlog:cds+dynamic=off' if -f $CDS;
# ---- end of configuration -------------------------------------------------------------------

my $script = File::Spec->rel2abs($0);
my $jar    = File::Spec->catfile($APP, 'quarkus-run.jar');

# quickCheck only, read-only: the running node agent answers it in a few ms where a JVM takes 0.3 s
# (README, "Start-up time"); hulft-ark-fast in the app folder is the client. When it does not answer
# (undef), the JVM runs exactly as always.
if ($script =~ m{[\\/]!quickCheck[\\/]}i) {
    my $fast = $ENV{HULFTARK_FAST_CLIENT} || File::Spec->catfile($APP, 'hulft-ark-fast');
    if (-f $fast) {
        my $code = eval { require $fast; HulftArkFast::ask($APP, 'lifekeeper', '--script', $script, @ARGV) };
        exit $code if defined $code;
    }
}

# LIST form (always several elements): java is started directly, no cmd.exe or sh, so nothing in
# a tag, an id or a path is interpreted by a shell. On Windows Perl quotes each element that has
# blanks; it would not escape a double quote or a final backslash, which our paths, LifeKeeper's
# tags and ids do not hold.
my @command = ($JAVA, @JVM_FLAGS, '-jar', $jar, 'lifekeeper', '--script', $script, @ARGV);
my $rc = do { no warnings 'exec'; system(@command) };    # a failed start is reported below, in one line

if ($rc == -1) {
    print STDERR "hulft-ark-lk: cannot run $JAVA ($!); set HULFTARK_JAVA or HULFTARK_HOME\n";
    exit 1;
}
if ($? & 127) {
    print STDERR 'hulft-ark-lk: ' . $JAVA . ' ended by signal ' . ($? & 127) . "\n";
    exit 1;
}
exit($? >> 8);

sub bundled_java {
    my ($app) = @_;
    my $java = File::Spec->catfile($app, 'jre', 'bin', $^O eq 'MSWin32' ? 'java.exe' : 'java');
    return -f $java ? $java : undef;
}
