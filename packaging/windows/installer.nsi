; Kodaira Desktop: the per-machine x64 installer (NSIS 3, Unicode). Built by
; packaging/build-windows.sh, which defines VERSION, APPDIR, OUTFILE, RESOURCES, COMPRESSOR,
; APPKB and, when signing, SIGN_UNINSTALLER.
;
; Silent install (CONTRACTS.md §7):
;   setup.exe /S [/DATABASE_URL=URL] [/TRUSTROOT=FILE] [/D=DIR]      (/D last, unquoted)
; DATABASE_URL and TRUSTROOT go into the machine-wide config folder
; (C:\ProgramData\KodairaCity\kodaira-desktop\config.toml and trust-root.toml).
; The uninstaller removes the program only: each user's data, the shared database and the
; machine-wide settings stay.

Unicode true
Target amd64-unicode
SetCompressor /SOLID ${COMPRESSOR}
ManifestDPIAware true
RequestExecutionLevel admin

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!define APPNAME "Kodaira Desktop"
!define APPNAME_JA "小平市 SNS投稿予約"
!define PUBLISHER "小平市 (Kodaira City)"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\KodairaDesktop"
!define APP_KEY "Software\KodairaCity\KodairaDesktop"
!define SHORTCUT "$SMPROGRAMS\${APPNAME_JA}.lnk"

Name "${APPNAME_JA} (${APPNAME}) ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\KodairaDesktop"
InstallDirRegKey HKLM "${APP_KEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

!ifdef SIGN_UNINSTALLER
  !uninstfinalize '${SIGN_UNINSTALLER} "%1"'
!endif

!define MUI_ICON "${RESOURCES}/icons/kodaira-desktop.ico"
!define MUI_UNICON "${RESOURCES}/icons/kodaira-desktop.ico"
!define MUI_WELCOMEFINISHPAGE_BITMAP "${RESOURCES}/installer/welcome.bmp"
!define MUI_UNWELCOMEFINISHPAGE_BITMAP "${RESOURCES}/installer/welcome.bmp"
!define MUI_HEADERIMAGE
!define MUI_HEADERIMAGE_RIGHT
!define MUI_HEADERIMAGE_BITMAP "${RESOURCES}/installer/header.bmp"
!define MUI_HEADERIMAGE_UNBITMAP "${RESOURCES}/installer/header.bmp"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\kodaira-desktop.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_JAPANESE} "ProductName" "${APPNAME_JA}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "FileDescription" "${APPNAME} セットアップ"
VIAddVersionKey /LANG=${LANG_JAPANESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "LegalCopyright" "${PUBLISHER}"

Var DatabaseUrl
Var TrustRoot

; The value of a command-line option such as /DATABASE_URL= (Push the option, Pop the value),
; matched without regard to case. Three spellings are understood:
;   /DATABASE_URL=value            the value runs to the next " /" or the end (URLs need no quotes)
;   /DATABASE_URL="value"          the value runs to the closing quote
;   "/DATABASE_URL=value"          (PowerShell, Start-Process) likewise
Function GetArg
  Exch $R0  ; the option, then the value
  Push $R1  ; the command line, then what follows the option
  Push $R2  ; a position
  Push $R3  ; a piece of the command line
  Push $R4  ; the option's length
  Push $R5  ; the value
  Push $R6  ; the character that ends the value ('"', or "" for " /")
  ${GetParameters} $R1
  StrCpy $R1 " $R1"
  StrLen $R4 $R0
  IntOp $R4 $R4 + 1
  StrCpy $R2 0
  StrCpy $R5 ""
  search:
    StrCpy $R3 $R1 $R4 $R2
    StrCmp $R3 "" done
    StrCmp $R3 " $R0" plain_or_quoted
    StrCmp $R3 '"$R0' whole_quoted
    IntOp $R2 $R2 + 1
    Goto search
  whole_quoted:
    StrCpy $R6 '"'
    Goto value
  plain_or_quoted:
    StrCpy $R6 ""
    IntOp $R2 $R2 + $R4
    StrCpy $R3 $R1 1 $R2
    IntOp $R2 $R2 - $R4
    StrCmp $R3 '"' 0 value
    StrCpy $R6 '"'
    IntOp $R2 $R2 + 1
  value:
    IntOp $R2 $R2 + $R4
    StrCpy $R1 $R1 "" $R2
    StrCpy $R2 0
    scan:
      StrCpy $R3 $R1 1 $R2
      StrCmp $R3 "" cut
      StrCmp $R6 "" 0 +4
      StrCpy $R3 $R1 2 $R2
      StrCmp $R3 " /" cut
      Goto +2
      StrCmp $R3 $R6 cut
      IntOp $R2 $R2 + 1
      Goto scan
  cut:
    StrCpy $R5 $R1 $R2
  trim:
    StrCpy $R3 $R5 1 -1
    StrCmp $R3 " " 0 done
    StrCpy $R5 $R5 -1
    Goto trim
  done:
  StrCpy $R0 $R5
  Pop $R6
  Pop $R5
  Pop $R4
  Pop $R3
  Pop $R2
  Pop $R1
  Exch $R0
FunctionEnd

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "64 ビット版 Windows が必要です。 / 64-bit Windows is required." /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  StrCpy $LANGUAGE ${LANG_JAPANESE}
  Push "/DATABASE_URL="
  Call GetArg
  Pop $DatabaseUrl
  Push "/TRUSTROOT="
  Call GetArg
  Pop $TrustRoot
  ${If} $TrustRoot != ""
    GetFullPathName $TrustRoot $TrustRoot  ; relative to where setup.exe was started
    ${IfNot} ${FileExists} $TrustRoot
      MessageBox MB_ICONSTOP "TRUSTROOT のファイルが見つかりません: $TrustRoot" /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
  ${EndIf}
FunctionEnd

; The program's own files at the top of the install folder (never a user's file).
!macro RemoveProgramFiles
  RMDir /r "$INSTDIR\Lib"
  Delete "$INSTDIR\*.exe"
  Delete "$INSTDIR\*.dll"
  Delete "$INSTDIR\*.pyd"
  Delete "$INSTDIR\python*.zip"
  Delete "$INSTDIR\python*._pth"
  Delete "$INSTDIR\python.cat"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\kodaira-desktop.ico"
!macroend

Section "Kodaira Desktop" SecMain
  SectionIn RO
  SetRegView 64
  SetShellVarContext all
  ${If} ${FileExists} "$INSTDIR\kodaira-desktop-cli.exe"
    DetailPrint "以前のバージョンを置き換えます (データは残ります)"
    !insertmacro RemoveProgramFiles
  ${EndIf}
  SetOutPath "$INSTDIR"
  File /r "${APPDIR}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "${SHORTCUT}" "$INSTDIR\kodaira-desktop.exe" "" "$INSTDIR\kodaira-desktop.ico" 0
  WriteRegStr HKLM "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${APP_KEY}" "Version" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APPNAME_JA} (${APPNAME})"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\kodaira-desktop.ico"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" ${APPKB}

  ${If} $DatabaseUrl != ""
  ${OrIf} $TrustRoot != ""
    DetailPrint "端末共通の設定を書き込みます"
    StrCpy $0 '"$INSTDIR\python.exe" -m kodaira_desktop.site_config'
    ${If} $DatabaseUrl != ""
      StrCpy $0 '$0 --database-url "$DatabaseUrl"'
    ${EndIf}
    ${If} $TrustRoot != ""
      StrCpy $0 '$0 --trust-root "$TrustRoot"'
    ${EndIf}
    nsExec::ExecToLog $0
    Pop $1
    ${If} $1 != 0
      MessageBox MB_ICONSTOP "端末共通の設定を書き込めませんでした ($1)。" /SD IDOK
      SetErrorLevel 2
      Abort
    ${EndIf}
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetRegView 64
  SetShellVarContext all
  Delete "${SHORTCUT}"
  !insertmacro RemoveProgramFiles
  RMDir "$INSTDIR"  ; only when empty
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${APP_KEY}"
  DeleteRegKey /ifempty HKLM "Software\KodairaCity"
  ; Kept: each user's data (%LOCALAPPDATA%\KodairaCity), the shared database, and the
  ; machine-wide settings in %PROGRAMDATA%\KodairaCity.
SectionEnd
