package ai.treqs.roar.cli;

/**
 * What picocli's generated bash completion cannot know about {@code roar run}: its first positional word is a
 * command ({@code roar run <TAB>} offers commands) and the words after it are that command's own
 * (completed by the command's completion through bash-completion's {@code _command_offset}, as
 * {@code sudo} and {@code time} do; else file names). Also: once {@code run} is the subcommand, a later
 * word such as {@code help} or {@code telemetry} belongs to the wrapped command, not to roar.
 */
final class RunCompletion {
    /** The positional branch picocli writes for a command without positional candidates. */
    private static final String GENERATED_POSITIONALS = """
              if [[ "${curr_word}" == -* ]]; then
                COMPREPLY=( $(compgen -W "${flag_opts} ${arg_opts}" -- "${curr_word}") )
              else
                local positionals=""
                local IFS=$'\\n'
                COMPREPLY=( $(compgen -W "${commands// /$'\\n'}${IFS}${positionals}" -- "${curr_word}") )
              fi
            }
            """;

    private static final String RUN_POSITIONALS = """
              # CMD is the first word after run's own options (or the word after --); the rest are CMD's
              local i cmd_at=0
              for ((i = 2; i < COMP_CWORD; i++)); do
                case ${COMP_WORDS[i]} in
                  --) cmd_at=$((i + 1)); break ;;
                  --tracer) [[ ${COMP_WORDS[i+1]} == = ]] && ((i++)); ((i++)) ;;
                  -*) ;;
                  *) cmd_at=$i; break ;;
                esac
              done
              if (( cmd_at == 0 )) && [[ "${curr_word}" == -* ]]; then
                COMPREPLY=( $(compgen -W "${flag_opts} ${arg_opts}" -- "${curr_word}") )
              elif type _command_offset &>/dev/null; then
                _command_offset $(( cmd_at == 0 ? COMP_CWORD : cmd_at ))
              elif (( cmd_at == 0 || cmd_at == COMP_CWORD )); then
                COMPREPLY=( $(compgen -c -- "${curr_word}") )
              else
                type compopt &>/dev/null && compopt -o default
                COMPREPLY=()
              fi
            }
            """;

    private static final String RUN_LOCAL_COMMANDS = "  local commands=\"\"\n";

    private static final String COMPOPT = "type compopt &>/dev/null && compopt";

    private static final String DISPATCH = "function _complete_roar() {\n";
    private static final String RUN_FIRST = DISPATCH
            + "  # after `roar run`, every word belongs to the wrapped command: `roar run git help` is not `roar help`\n"
            + "  if [[ ${COMP_WORDS[1]} == run ]] && (( COMP_CWORD > 1 )); then _picocli_roar_run; return $?; fi\n";

    private RunCompletion() {}

    static String patch(String script) {
        int run = script.indexOf("function _picocli_roar_run() {");
        int positionals = script.indexOf(GENERATED_POSITIONALS, run);
        int dispatch = script.indexOf(DISPATCH);
        if (run < 0 || positionals < 0 || dispatch < 0) {
            throw new IllegalStateException("picocli's bash completion changed shape; update RunCompletion");
        }
        // picocli's `local commands=""` (run has no subcommands) would hide zsh's $commands, the table
        // bashcompinit's `compgen -c` reads: under zsh, roar run <TAB> would offer no command on PATH
        String runHead = script.substring(run, positionals);
        if (!runHead.contains(RUN_LOCAL_COMMANDS)) {
            throw new IllegalStateException("picocli's bash completion changed shape; update RunCompletion");
        }
        String patched = script.substring(0, run) + runHead.replace(RUN_LOCAL_COMMANDS, "") + RUN_POSITIONALS
                + script.substring(positionals + GENERATED_POSITIONALS.length());
        // zsh's bashcompinit has a compopt that registers its arguments as command names (+o, default)
        return patched.replace(DISPATCH, RUN_FIRST).replace(COMPOPT, "[[ -n ${BASH_VERSION-} ]] && " + COMPOPT);
    }
}
