/**
 * The scripts `kubectl completion SHELL` prints. Each one asks the program itself for candidates with
 * `<prog> __complete ARGS… CURRENT` (cobra's protocol: one candidate per line, `value\tdescription` where
 * there is one, then `:<directive>`), and honours the directive bits: 1 Error (no completion), 2 NoSpace,
 * 4 NoFileComp, 8 FilterFileExt (candidates are extensions), 16 FilterDirs (folders only; a candidate is
 * the folder to look in), 32 KeepOrder. Written for Tabernetes; same behaviour as kubectl's scripts.
 */

const BASH = String.raw`# bash completion for kubectl (Tabernetes) — candidates come from "kubectl __complete".
# Load it with:  source <(kubectl completion bash)

__kubectl_tab_words() {
    # Splits the line up to the cursor on blanks only, so "--flag=value" and "pod:path" stay one word.
    local line
    if [[ -n ${'$'}{COMP_LINE-} ]]; then
        line=${'$'}{COMP_LINE:0:${'$'}{COMP_POINT:-${'$'}{#COMP_LINE}}}
    else
        line="${'$'}{COMP_WORDS[*]:0:$((COMP_CWORD + 1))}"
    fi
    read -r -a __kubectl_tab_args <<< "$line"
    if [[ -z $line || $line =~ [[:space:]]$ ]]; then
        __kubectl_tab_cur=""
    else
        __kubectl_tab_cur=${'$'}{__kubectl_tab_args[${'$'}{#__kubectl_tab_args[@]}-1]}
        unset '__kubectl_tab_args[${'$'}{#__kubectl_tab_args[@]}-1]'
    fi
}

__kubectl_tab() {
    local __kubectl_tab_cur out directive cur c
    local -a __kubectl_tab_args cands
    COMPREPLY=()
    __kubectl_tab_words
    [[ ${'$'}{#__kubectl_tab_args[@]} -eq 0 ]] && return
    out=$("${'$'}{__kubectl_tab_args[0]}" __completeNoDesc "${'$'}{__kubectl_tab_args[@]:1}" "$__kubectl_tab_cur" 2>/dev/null)
    directive=${'$'}{out##*:}
    [[ $directive =~ ^[0-9]+$ ]] || directive=0
    out=${'$'}{out%:*}
    (( directive & 1 )) && return
    cur=$__kubectl_tab_cur
    # bash completes only the part after "=" (and ":" when it is a word break): answer with that part.
    [[ $cur == -*=* ]] && cur=${'$'}{cur#*=}
    local colon_prefix=""
    if [[ $COMP_WORDBREAKS == *:* && $cur == *:* ]]; then colon_prefix=${'$'}{cur%"${'$'}{cur##*:}"}; fi
    if (( directive & 8 )); then
        local exts=""
        while IFS= read -r c; do [[ -n $c ]] && exts+="${'$'}{exts:+|}$c"; done <<< "$out"
        [[ -n $exts ]] && mapfile -t COMPREPLY < <(compgen -f -X "!*.@($exts)" -- "$cur")
        compopt -o filenames 2>/dev/null
        return
    fi
    if (( directive & 16 )); then
        local sub
        sub=$(head -n 1 <<< "$out")
        if [[ -n $sub ]]; then
            mapfile -t COMPREPLY < <(cd "$sub" 2>/dev/null && compgen -d -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        fi
        compopt -o filenames 2>/dev/null
        return
    fi
    while IFS= read -r c; do
        c=${'$'}{c%%$'\t'*}
        [[ -n $c && $c == "$cur"* ]] && cands+=("${'$'}{c#"$colon_prefix"}")
    done <<< "$out"
    COMPREPLY=("${'$'}{cands[@]}")
    (( directive & 2 )) && compopt -o nospace 2>/dev/null
    (( directive & 32 )) && compopt -o nosort 2>/dev/null
    if [[ ${'$'}{#COMPREPLY[@]} -eq 0 ]] && ! (( directive & 4 )); then
        compopt -o default 2>/dev/null
    fi
    return 0
}

complete -F __kubectl_tab kubectl
`;

const ZSH = String.raw`#compdef kubectl
# zsh completion for kubectl (Tabernetes) — candidates come from "kubectl __complete".
# Load it with:  source <(kubectl completion zsh)

_kubectl_tab() {
    local cur out directive line value desc prefix=""
    local -a cands
    cur=${'$'}{words[CURRENT]}
    if [[ $cur == -*=* ]]; then prefix=${'$'}{cur%%=*}=; fi
    out=$(${'$'}{words[1]} __complete ${'$'}{(@)words[2,CURRENT-1]} "$cur" 2>/dev/null)
    directive=${'$'}{out##*:}
    [[ $directive == <-> ]] || directive=0
    out=${'$'}{out%:*}
    (( directive & 1 )) && return 1
    if (( directive & 8 )); then
        local -a globs
        for line in ${'$'}{(f)out}; do globs+=("*.$line"); done
        _files -g "(${'$'}{(j:|:)globs})"
        return
    fi
    if (( directive & 16 )); then
        if [[ -n $out ]]; then _files -W "${'$'}{${'$'}{(f)out}[1]}" -/; else _files -/; fi
        return
    fi
    for line in ${'$'}{(f)out}; do
        value=${'$'}{line%%$'\t'*}
        desc=${'$'}{line#*$'\t'}
        value=${'$'}{value//:/\\:}
        if [[ $line == *$'\t'* ]]; then cands+=("$value:$desc"); else cands+=("$value"); fi
    done
    local -a opts
    (( directive & 2 )) && opts+=(-S '')
    (( directive & 32 )) && opts+=(-V kubectl)
    if (( ${'$'}{#cands} )); then
        _describe ${'$'}{opts[@]} -p "$prefix" 'completions' cands && return 0
    fi
    (( directive & 4 )) || _files
}

if [[ ${'$'}{funcstack[1]} == _kubectl_tab || -n ${'$'}{functions[compdef]} ]]; then
    compdef _kubectl_tab kubectl
fi
`;

const FISH = String.raw`# fish completion for kubectl (Tabernetes) — candidates come from "kubectl __complete".
# Load it with:  kubectl completion fish | source

function __kubectl_tab_query
    set -l args (commandline -opc)
    set -l cur (commandline -ct)
    set -l out ($args[1] __complete $args[2..-1] $cur 2>/dev/null)
    set -l directive (string replace -r '^:' '' -- $out[-1])
    string match -qr '^[0-9]+$' -- $directive; or set directive 0
    set -e out[-1]
    set -g __kubectl_tab_directive $directive
    set -g __kubectl_tab_out
    test (math "bitand($directive, 1)") -ne 0; and return
    set -l prefix ''
    string match -qr '^-.*=' -- $cur; and set prefix (string replace -r '=.*' '=' -- $cur)
    for c in $out
        set -l value (string split -m 1 \t -- $c)[1]
        if string match -q -- "$cur*" "$prefix$value"
            set -a __kubectl_tab_out "$prefix$c"
        end
    end
end

function __kubectl_tab
    __kubectl_tab_query
    if test (math "bitand($__kubectl_tab_directive, 24)") -ne 0
        __fish_complete_directories (commandline -ct)
        return
    end
    if test (count $__kubectl_tab_out) -eq 0; and test (math "bitand($__kubectl_tab_directive, 4)") -eq 0
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\n' $__kubectl_tab_out
end

complete -c kubectl -e
complete -c kubectl -f -k -a '(__kubectl_tab)'
`;

const POWERSHELL = String.raw`# powershell completion for kubectl (Tabernetes) — candidates come from "kubectl __complete".
# Load it with:  kubectl completion powershell | Out-String | Invoke-Expression

Register-ArgumentCompleter -CommandName 'kubectl' -Native -ScriptBlock {
    param($WordToComplete, $CommandAst, $CursorPosition)
    $line = $CommandAst.ToString()
    if ($CursorPosition -lt $line.Length) { $line = $line.Substring(0, $CursorPosition) }
    $words = @($line -split '\s+' | Where-Object { $_ -ne '' })
    if ($WordToComplete -ne '' -and $words.Count -gt 0) { $words = @($words | Select-Object -SkipLast 1) }
    $prog = $words[0]
    $rest = @($words | Select-Object -Skip 1)
    $out = @(& $prog __complete @rest $(if ($WordToComplete -eq '') { '""' } else { $WordToComplete }) 2>$null)
    if ($out.Count -eq 0) { return }
    $directive = 0
    [void][int]::TryParse(($out[-1] -replace '^:', ''), [ref]$directive)
    $out = @($out | Select-Object -SkipLast 1)
    if ($directive -band 1) { return }
    $prefix = ''
    if ($WordToComplete -match '^-.*=') { $prefix = ($WordToComplete -replace '=.*', '=') }
    $found = @()
    foreach ($c in $out) {
        $parts = $c -split "\t", 2
        $value = $prefix + $parts[0]
        if (-not $value.StartsWith($WordToComplete)) { continue }
        $desc = if ($parts.Count -gt 1 -and $parts[1] -ne '') { $parts[1] } else { $value }
        $text = if ($directive -band 2) { $value } else { "$value " }
        $found += [System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $desc)
    }
    if ($found.Count -eq 0 -and -not ($directive -band 4)) { return }
    if ($found.Count -eq 0) { return '' }
    if (-not ($directive -band 32)) { $found = $found | Sort-Object ListItemText }
    $found
}
`;

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;

/** The completion script for a shell (one of COMPLETION_SHELLS). */
export function completionScript(shell: (typeof COMPLETION_SHELLS)[number]): string {
  return { bash: BASH, zsh: ZSH, fish: FISH, powershell: POWERSHELL }[shell];
}
