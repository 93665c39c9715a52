_sockscope() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="sockscope"
                ;;
            sockscope,netstat)
                cmd="sockscope__subcmd__netstat"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        sockscope)
            opts="-n -r -o -e -m -i -p -T -b -E -d -t -S -u -w -x -a -l -4 -6 -0 -f -A -s -D -F -V -h -Z -z -N -K -H -M -O -j --numeric --resolve --options --extended --memory --info --processes --threads --bpf --events --dccp --tcp --sctp --udp --raw --unix --tipc --vsock --all --listening --ipv4 --ipv6 --packet --family --query --socket --summary --diag --filter --version --help --context --contexts --net --tipcinfo --tos --cgroup --kill --no-header --xdp --mptcp --oneline --inet-sockopt --json --filter-mode netstat"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --family)
                    COMPREPLY=($(compgen -W "inet inet6 link unix netlink vsock tipc xdp help" -- "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -W "inet inet6 link unix netlink vsock tipc xdp help" -- "${cur}"))
                    return 0
                    ;;
                --socket)
                    COMPREPLY=($(compgen -W "all inet tcp mptcp udp raw unix unix_dgram unix_stream unix_seqpacket u_dgr u_str u_seq packet packet_raw packet_dgram p_raw p_dgr netlink dccp sctp vsock vsock_stream vsock_dgram v_str v_dgr tipc xdp" -- "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -W "all inet tcp mptcp udp raw unix unix_dgram unix_stream unix_seqpacket u_dgr u_str u_seq packet packet_raw packet_dgram p_raw p_dgr netlink dccp sctp vsock vsock_stream vsock_dgram v_str v_dgr tipc xdp" -- "${cur}"))
                    return 0
                    ;;
                -A)
                    COMPREPLY=($(compgen -W "all inet tcp mptcp udp raw unix unix_dgram unix_stream unix_seqpacket u_dgr u_str u_seq packet packet_raw packet_dgram p_raw p_dgr netlink dccp sctp vsock vsock_stream vsock_dgram v_str v_dgr tipc xdp" -- "${cur}"))
                    return 0
                    ;;
                --diag)
                    local oldifs
                    if [ -n "${IFS+x}" ]; then
                        oldifs="$IFS"
                    fi
                    IFS=$'\n'
                    COMPREPLY=($(compgen -f "${cur}"))
                    if [ -n "${oldifs+x}" ]; then
                        IFS="$oldifs"
                    fi
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o filenames
                    fi
                    return 0
                    ;;
                -D)
                    local oldifs
                    if [ -n "${IFS+x}" ]; then
                        oldifs="$IFS"
                    fi
                    IFS=$'\n'
                    COMPREPLY=($(compgen -f "${cur}"))
                    if [ -n "${oldifs+x}" ]; then
                        IFS="$oldifs"
                    fi
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o filenames
                    fi
                    return 0
                    ;;
                --filter)
                    local oldifs
                    if [ -n "${IFS+x}" ]; then
                        oldifs="$IFS"
                    fi
                    IFS=$'\n'
                    COMPREPLY=($(compgen -f "${cur}"))
                    if [ -n "${oldifs+x}" ]; then
                        IFS="$oldifs"
                    fi
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o filenames
                    fi
                    return 0
                    ;;
                -F)
                    local oldifs
                    if [ -n "${IFS+x}" ]; then
                        oldifs="$IFS"
                    fi
                    IFS=$'\n'
                    COMPREPLY=($(compgen -f "${cur}"))
                    if [ -n "${oldifs+x}" ]; then
                        IFS="$oldifs"
                    fi
                    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
                        compopt -o filenames
                    fi
                    return 0
                    ;;
                --net)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -N)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter-mode)
                    COMPREPLY=($(compgen -W "auto kernel user" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        sockscope__subcmd__netstat)
            opts="-r -i -g -s -M -v -W -n -N -e -p -o -c -l -a -F -C -Z -t -u -U -S -w -x -2 -f -A -4 -6 -d -V -h -b --route --interfaces --groups --statistics --masquerade --verbose --wide --numeric --numeric-hosts --numeric-ports --numeric-users --symbolic --extend --programs --timers --continuous --listening --all --fib --cache --context --tcp --udp --udplite --sctp --raw --l2cap --rfcomm --protocol --inet --inet6 --unix --ip --tcpip --ax25 --x25 --ipx --netrom --rose --ddp --appletalk --bluetooth --version --help --json"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --protocol)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -A)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _sockscope -o nosort -o bashdefault -o default sockscope
else
    complete -F _sockscope -o bashdefault -o default sockscope
fi
