#!/usr/bin/perl
#
# quickcheck-spec.pl - the recovery kit's quickCheck as the original Perl kit does it (spec 5.3 = restore's
# steps 6 to 9, after 5.1's steps 1 to 3), sequentially, on the same stand-ins as the benchmark gives the
# launcher: the yardstick of src/bench/quickcheck.sh. Not a product; no messages to a log.
#
#     quickcheck-spec.pl SCRIPT-PATH STATUS-COMMAND CONF-FILE -t TAG
#
use strict;
use warnings;
use IO::Socket::INET;

my ($script, $status, $conf, @args) = @ARGV;
my %opt = @args;
my $tag = $opt{'-t'} or exit 1;                                    # 1. the tag
my $lkroot = $ENV{LKROOT} or exit 1;
open(my $ins, '-|', "$lkroot/bin/ins_list", '-t', $tag) or exit 0;  # 2. service name from the tag
my $line = <$ins>;
close $ins;
exit 0 unless defined $line;
my @fields = split /\x01/, $line;
my $service = $fields[5];                                           # the info field
exit 0 unless defined $service && length $service;
exit 1 unless $script =~ m{[\\/]!quickCheck[\\/]};                   # 3. the action from the script path
system($status, $service) == 0 or exit 1;                            # 6. the service runs
open(my $fh, '<', $conf) or exit 1;                                  # 7. the ports of hulenv.cnf
my @ports;
while (<$fh>) {
    push @ports, $2 if /^\s*(rcvport|obsport|sddport|srvcproport|schport)\s*=\s*(\d+)/;
}
close $fh;
for my $port (@ports) {                                              # 8. each port answers
    my $s = IO::Socket::INET->new(PeerAddr => 'localhost', PeerPort => $port, Proto => 'tcp', Timeout => 10)
        or exit 1;
    close $s;
}
exit 0;                                                              # 9.
