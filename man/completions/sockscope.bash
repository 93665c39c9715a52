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
            *)
                ;;
        esac
    done

    case "${cmd}" in
        sockscope)
            opts="-n -r -o -e -m -i -p -T -b -E -d -t -S -u -w -x -a -l -4 -6 -0 -f -A -s -D -F -V -h -Z -z -N -K -H -M -O -j --numeric --resolve --options --extended --memory --info --processes --threads --bpf --events --dccp --tcp --sctp --udp --raw --unix --tipc --vsock --all --listening --ipv4 --ipv6 --packet --family --query --socket --summary --diag --filter --version --help --context --contexts --net --tipcinfo --tos --cgroup --kill --no-header --xdp --mptcp --oneline --inet-sockopt --json --filter-mode"
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
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _sockscope -o nosort -o bashdefault -o default sockscope
else
    complete -F _sockscope -o bashdefault -o default sockscope
fi
