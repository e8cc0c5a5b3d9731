# StreamDb build driver for Windows: the equivalent of build.sh.
#   .\build.ps1          restore, build, publish libstreamdb.dll + streamdb.h into artifacts\, run the C quickstart
#   .\build.ps1 test     everything above, then the test suites that run on Windows
#   .\build.ps1 bench    the engine benchmark
# Needs the .NET SDK (10.x) and, for NativeAOT and the C sample, Visual Studio's C++ build tools
# ("Desktop development with C++"); run it from a "Developer PowerShell" so cl.exe is on PATH.
param([ValidateSet('build', 'test', 'bench')][string]$Mode = 'build')

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$Root = $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
$Config = if ($env:CONFIG) { $env:CONFIG } else { 'Release' }
$Artifacts = Join-Path $Root 'artifacts'
$env:STREAMDB_ARTIFACTS = $Artifacts
$env:STREAMDB_LIBRARY = Join-Path $Artifacts 'lib\libstreamdb.dll'
$Rid = if ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'win-arm64' } else { 'win-x64' }

function Say([string]$Text) { Write-Host "`n== $Text" }

# Runs a native command and stops the build when it fails.
function Invoke-Native([string]$File, [string[]]$Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Assert-Tool([string]$Name, [string]$Hint) {
    if (-not (Get-Command $Name -ErrorAction SilentlyContinue)) { throw "build.ps1: $Name is required: $Hint" }
}

function Get-TargetFramework {
    $props = Get-Content (Join-Path $Root 'Directory.Build.props') -Raw
    if ($props -match '<StreamDbTargetFramework>(.*?)</StreamDbTargetFramework>') { return $Matches[1] }
    throw 'build.ps1: no StreamDbTargetFramework in Directory.Build.props'
}

function Build-Managed {
    Assert-Tool 'dotnet' 'https://dotnet.microsoft.com/download'
    Say "dotnet build ($Config)"
    Invoke-Native 'dotnet' @('build', 'StreamDb.Native.sln', '-c', $Config, '-v', 'quiet', '-nologo')
}

function Publish-Native {
    if (-not (Test-Path 'src\StreamDb.Native')) { return }
    Say 'publishing libstreamdb.dll (NativeAOT)'
    $lib = Join-Path $Artifacts 'lib'
    $include = Join-Path $Artifacts 'include'
    New-Item -ItemType Directory -Force -Path $lib, $include | Out-Null
    $publish = Join-Path $Artifacts 'publish'
    Invoke-Native 'dotnet' @('publish', 'src\StreamDb.Native\StreamDb.Native.csproj', '-c', $Config, '-r', $Rid,
        '-o', $publish, '-v', 'quiet', '-nologo')
    Copy-Item (Join-Path $publish 'libstreamdb.dll') $lib -Force
    if (Test-Path (Join-Path $publish 'libstreamdb.pdb')) { Copy-Item (Join-Path $publish 'libstreamdb.pdb') $lib -Force }
    # The import library for linking (libstreamdb.lib) stays in the intermediate directory.
    $importLib = Get-ChildItem -Recurse -Filter 'libstreamdb.lib' 'src\StreamDb.Native\obj' -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if ($importLib) { Copy-Item $importLib.FullName $lib -Force }

    if (Test-Path 'src\StreamDb.HeaderGen') {
        Say 'generating include\streamdb.h and checking the committed one'
        $tf = Get-TargetFramework
        $generated = Join-Path $include 'streamdb.h'
        Invoke-Native 'dotnet' @('run', '--project', 'src\StreamDb.HeaderGen', '-c', $Config, '-v', 'quiet', '--',
            '--assembly', "src\StreamDb.Native\bin\$Config\$tf\$Rid\libstreamdb.dll", '--out', $generated)
        # Compare without regard to line endings (git may check the header out with CRLF).
        $committed = (Get-Content 'include\streamdb.h' -Raw) -replace "`r`n", "`n"
        $fresh = (Get-Content $generated -Raw) -replace "`r`n", "`n"
        if ($committed -ne $fresh) {
            throw "build.ps1: include\streamdb.h is stale; the generated header is $generated (copy it over include\streamdb.h and commit it)"
        }
    } else {
        Copy-Item 'include\streamdb.h' $include -Force
    }
    Copy-Item 'bindings\c\streamdb.hpp' $include -Force
    Write-CMakeAndPkgConfig $Artifacts
}

# The same files bindings\c\install-artifacts.sh writes on Unix.
function Write-CMakeAndPkgConfig([string]$Prefix) {
    $header = Get-Content (Join-Path $Prefix 'include\streamdb.h') -Raw
    if ($header -notmatch '#define STREAMDB_VERSION_STRING\s+"([^"]+)"') { throw 'build.ps1: no STREAMDB_VERSION_STRING in streamdb.h' }
    $version = $Matches[1]
    $cmakeDir = Join-Path $Prefix 'lib\cmake\StreamDb'
    $pcDir = Join-Path $Prefix 'lib\pkgconfig'
    New-Item -ItemType Directory -Force -Path $cmakeDir, $pcDir | Out-Null
    Copy-Item 'bindings\c\StreamDbConfig.cmake' $cmakeDir -Force
    (Get-Content 'bindings\c\StreamDbConfigVersion.cmake.in' -Raw) -replace '@VERSION@', $version |
        Set-Content -NoNewline (Join-Path $cmakeDir 'StreamDbConfigVersion.cmake')
    $prefixSlashes = $Prefix -replace '\\', '/'
    ((Get-Content 'bindings\c\streamdb.pc.in' -Raw) -replace '@PREFIX@', $prefixSlashes -replace '@VERSION@', $version) -replace ' -Wl,-rpath,\$\{libdir\}', '' |
        Set-Content -NoNewline (Join-Path $pcDir 'streamdb.pc')
}

function Invoke-Quickstart {
    if (-not (Test-Path 'samples\c\quickstart.c') -or -not (Test-Path $env:STREAMDB_LIBRARY)) { return }
    Say 'samples\c\quickstart.c'
    $samples = Join-Path $Artifacts 'samples'
    New-Item -ItemType Directory -Force -Path $samples | Out-Null
    $exe = Join-Path $samples 'quickstart.exe'
    $lib = Join-Path $Artifacts 'lib'
    if (Get-Command 'cl' -ErrorAction SilentlyContinue) {
        Invoke-Native 'cl' @('/nologo', '/W4', '/WX', "/I$Artifacts\include", 'samples\c\quickstart.c',
            "$lib\libstreamdb.lib", "/Fe:$exe", "/Fo:$samples\")
    } elseif (Get-Command 'clang' -ErrorAction SilentlyContinue) {
        Invoke-Native 'clang' @('-std=c99', '-Wall', '-I', "$Artifacts\include", 'samples\c\quickstart.c',
            "$lib\libstreamdb.lib", '-o', $exe)
    } else {
        Write-Host 'build.ps1: no C compiler (cl.exe or clang) on PATH; skipping the quickstart. Use a Developer PowerShell.'
        return
    }
    # The DLL is found next to the program or on PATH.
    $env:PATH = "$lib;$env:PATH"
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("streamdb-quickstart-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $work | Out-Null
    Push-Location $work
    try { Invoke-Native $exe @() } finally { Pop-Location; Remove-Item -Recurse -Force $work }
}

$failed = New-Object System.Collections.Generic.List[string]
function Invoke-Suite([string]$Name, [scriptblock]$Body) {
    Say "test suite: $Name"
    try { & $Body; Write-Host "[suite $Name: passed]" } catch { Write-Host $_; Write-Host "[suite $Name: FAILED]"; $failed.Add($Name) }
}

function Invoke-Tests {
    Invoke-Suite 'xunit' { Invoke-Native 'dotnet' @('test', 'StreamDb.Native.sln', '-c', $Config, '--no-build', '-v', 'quiet', '-nologo',
        '--logger', 'console;verbosity=minimal') }
    # The C suite (tests\c) uses POSIX (pthreads, posix_spawn, fork-free crash tests) and runs on
    # Linux and macOS; on Windows the C interface is checked by the quickstart.
    Invoke-Suite 'c-quickstart' { Invoke-Quickstart }
    foreach ($suite in @(@('python', 'bindings\python\run-tests.ps1'), @('lisp', 'bindings\lisp\run-tests.ps1'),
                         @('cli', 'tests\cli\run.ps1'), @('samples', 'samples\run.ps1'))) {
        if (Test-Path $suite[1]) { $script = Join-Path $Root $suite[1]; Invoke-Suite $suite[0] { & $script; if ($LASTEXITCODE) { throw "exit $LASTEXITCODE" } } }
    }
    if ($failed.Count -ne 0) { Write-Host "`nFAILED suites: $($failed -join ' ')"; exit 1 }
    Write-Host "`nall suites passed"
}

switch ($Mode) {
    'build' { Build-Managed; Publish-Native; Invoke-Quickstart }
    'test' { Build-Managed; Publish-Native; Invoke-Tests }
    'bench' {
        Build-Managed; Publish-Native
        Say 'engine benchmark'
        Invoke-Native 'dotnet' @('run', '--project', 'bench\StreamDb.Bench', '-c', 'Release', '-v', 'quiet', '--')
    }
}
