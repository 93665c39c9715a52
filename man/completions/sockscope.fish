# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_sockscope_global_optspecs
    string join \n n/numeric r/resolve o/options e/extended m/memory i/info p/processes T/threads b/bpf E/events d/dccp t/tcp S/sctp u/udp w/raw x/unix tipc vsock a/all l/listening 4/ipv4 6/ipv6 0/packet f/family= A/socket= s/summary D/diag= F/filter= V/version h/help Z/context z/contexts N/net= tipcinfo tos cgroup K/kill H/no-header xdp M/mptcp O/oneline inet-sockopt j/json filter-mode=
end

function __fish_sockscope_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_sockscope_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_sockscope_using_subcommand
    set -l cmd (__fish_sockscope_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c sockscope -n "__fish_sockscope_needs_command" -s f -l family -d 'display sockets of type FAMILY' -r -f -a "inet\t''
inet6\t''
link\t''
unix\t''
netlink\t''
vsock\t''
tipc\t''
xdp\t''
help\t''"
complete -c sockscope -n "__fish_sockscope_needs_command" -s A -l socket -l query -d 'comma-separated list of socket tables to show' -r -f -a "all\t''
inet\t''
tcp\t''
mptcp\t''
udp\t''
raw\t''
unix\t''
unix_dgram\t''
unix_stream\t''
unix_seqpacket\t''
u_dgr\t''
u_str\t''
u_seq\t''
packet\t''
packet_raw\t''
packet_dgram\t''
p_raw\t''
p_dgr\t''
netlink\t''
dccp\t''
sctp\t''
vsock\t''
vsock_stream\t''
vsock_dgram\t''
v_str\t''
v_dgr\t''
tipc\t''
xdp\t''"
complete -c sockscope -n "__fish_sockscope_needs_command" -s D -l diag -d 'Dump raw information about TCP sockets to FILE' -r -F
complete -c sockscope -n "__fish_sockscope_needs_command" -s F -l filter -d 'read filter information from FILE' -r -F
complete -c sockscope -n "__fish_sockscope_needs_command" -s N -l net -d 'switch to the specified network namespace name' -r
complete -c sockscope -n "__fish_sockscope_needs_command" -l filter-mode -d 'where the filter expression is applied: auto, kernel or user' -r -f -a "auto\t''
kernel\t''
user\t''"
complete -c sockscope -n "__fish_sockscope_needs_command" -s n -l numeric -d 'don\'t resolve service names'
complete -c sockscope -n "__fish_sockscope_needs_command" -s r -l resolve -d 'resolve host names'
complete -c sockscope -n "__fish_sockscope_needs_command" -s o -l options -d 'show timer information'
complete -c sockscope -n "__fish_sockscope_needs_command" -s e -l extended -d 'show detailed socket information'
complete -c sockscope -n "__fish_sockscope_needs_command" -s m -l memory -d 'show socket memory usage'
complete -c sockscope -n "__fish_sockscope_needs_command" -s i -l info -d 'show internal TCP information'
complete -c sockscope -n "__fish_sockscope_needs_command" -s p -l processes -d 'show process using socket'
complete -c sockscope -n "__fish_sockscope_needs_command" -s T -l threads -d 'show thread using socket'
complete -c sockscope -n "__fish_sockscope_needs_command" -s b -l bpf -d 'show bpf filter socket information'
complete -c sockscope -n "__fish_sockscope_needs_command" -s E -l events -d 'continually display sockets as they are destroyed'
complete -c sockscope -n "__fish_sockscope_needs_command" -s d -l dccp -d 'display only DCCP sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s t -l tcp -d 'display only TCP sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s S -l sctp -d 'display only SCTP sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s u -l udp -d 'display only UDP sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s w -l raw -d 'display only RAW sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s x -l unix -d 'display only Unix domain sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -l tipc -d 'display only TIPC sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -l vsock -d 'display only vsock sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s a -l all -d 'display all sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s l -l listening -d 'display listening sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s 4 -l ipv4 -d 'display only IP version 4 sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s 6 -l ipv6 -d 'display only IP version 6 sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s 0 -l packet -d 'display PACKET sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s s -l summary -d 'show socket usage summary'
complete -c sockscope -n "__fish_sockscope_needs_command" -s V -l version -d 'output version information'
complete -c sockscope -n "__fish_sockscope_needs_command" -s h -l help -d 'this message'
complete -c sockscope -n "__fish_sockscope_needs_command" -s Z -l context -d 'display task SELinux security contexts'
complete -c sockscope -n "__fish_sockscope_needs_command" -s z -l contexts -d 'display task and socket SELinux security contexts'
complete -c sockscope -n "__fish_sockscope_needs_command" -l tipcinfo -d 'show internal tipc socket information'
complete -c sockscope -n "__fish_sockscope_needs_command" -l tos -d 'show tos and priority information'
complete -c sockscope -n "__fish_sockscope_needs_command" -l cgroup -d 'show cgroup information'
complete -c sockscope -n "__fish_sockscope_needs_command" -s K -l kill -d 'forcibly close sockets, display what was closed'
complete -c sockscope -n "__fish_sockscope_needs_command" -s H -l no-header -d 'Suppress header line'
complete -c sockscope -n "__fish_sockscope_needs_command" -l xdp -d 'display only XDP sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s M -l mptcp -d 'display only MPTCP sockets'
complete -c sockscope -n "__fish_sockscope_needs_command" -s O -l oneline -d 'socket\'s data printed on a single line'
complete -c sockscope -n "__fish_sockscope_needs_command" -l inet-sockopt -d 'show various inet socket options'
complete -c sockscope -n "__fish_sockscope_needs_command" -s j -l json -d 'print the sockets as JSON'
complete -c sockscope -n "__fish_sockscope_needs_command" -a "netstat" -d 'print network connections, routing tables, interface statistics, as net-tools 2.10 netstat'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s A -l protocol -d 'address families: inet, inet6, unix, ip, ip6, tcpip, ax25, netrom, ipx, ddp, appletalk, x25, rose, econet, ash, bluetooth' -r
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s r -l route -d 'display routing table'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s i -l interfaces -d 'display interface table'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s g -l groups -d 'display multicast group memberships'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s s -l statistics -d 'display networking statistics (like SNMP)'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s M -l masquerade -d 'display masqueraded connections'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s v -l verbose -d 'be verbose'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s W -l wide -d 'don\'t truncate IP addresses'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s n -l numeric -d 'don\'t resolve names'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l numeric-hosts -d 'don\'t resolve host names'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l numeric-ports -d 'don\'t resolve port names'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l numeric-users -d 'don\'t resolve user names'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s N -l symbolic -d 'resolve hardware names'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s e -l extend -d 'display other/more information'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s p -l programs -d 'display PID/Program name for sockets'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s o -l timers -d 'display timers'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s c -l continuous -d 'continuous listing'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s l -l listening -d 'display listening server sockets'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s a -l all -d 'display all sockets (default: connected)'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s F -l fib -d 'display Forwarding Information Base (default)'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s C -l cache -d 'display routing cache instead of FIB'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s Z -l context -d 'display SELinux security context for sockets'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s t -l tcp -d 'TCP sockets'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s u -l udp -d 'UDP sockets'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s U -l udplite -d 'UDP-Lite sockets'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s S -l sctp -d 'SCTP sockets'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s w -l raw -d 'RAW sockets'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s x -d 'UNIX domain sockets (also --unix)'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s 2 -l l2cap -d 'Bluetooth L2CAP sockets (not supported, as in Debian\'s build)'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s f -l rfcomm -d 'Bluetooth RFCOMM sockets (not supported); -f FAMILY is the BSD family filter'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s 4 -d '= -A inet'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s 6 -d '= -A inet6'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l inet -d '= -A inet'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l inet6 -d '= -A inet6'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l unix -d '= -A unix'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l ip -d '= -A inet'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l tcpip -d 'rejected by net-tools 2.10 (internal error message, ignored)'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l ax25 -d '= -A ax25'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l x25 -d '= -A x25'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l ipx -d '= -A ipx'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l netrom -d '= -A netrom'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l rose -d '= -A rose'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l ddp -d '= -A ddp'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l appletalk -d '= -A ddp'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l bluetooth -d '= -A bluetooth (not supported)'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s d -d 'accepted, no effect'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s V -l version -d 'output version information'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s h -l help -d 'display this help'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -s b -d '= -p (Windows)'
complete -c sockscope -n "__fish_sockscope_using_subcommand netstat" -l json -d 'print the rows as JSON (schema in docs/json.md)'
