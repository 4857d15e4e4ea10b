/*
 * elf.c - what a compiled student file defines, and whether it would run
 * code of its own outside the test: before main() or after the verdict.
 *
 * The rule is simple, so that no parsing of priorities or names can be
 * fooled: a handed-in object may have no section the linker turns into
 * start-up or exit code -- none named .init_array*, .ctors*, .fini_array*,
 * .dtors*, .preinit_array*, .init or .fini, none of the init/fini array
 * types, no program interpreter -- no section the linker or the dynamic
 * loader reads as a table of its own (.dynamic, .got, .plt, symbol and
 * version tables, dynamic relocations, link-time-optimizer code), no
 * script or link for the debugger (.debug_gdb_scripts: gdb would run it
 * on the instructor's machine), and no GNU indirect function (its
 * resolver runs while the program is relocated). The kit's layers need no
 * constructor: LC_ON_EXIT and its siblings put a pointer into a section
 * of their own that the kernel walks (include/lc/kernel/proc.h).
 *
 * The sanitizer build adds one constructor and one destructor of its own
 * to every object (priority 99: .init_array.00099, .fini_array.00099); in
 * that build exactly those two, of one entry each, are allowed, and the
 * same file compiled without the sanitizer (its "shadow", with the same
 * preprocessor view) must have none.
 *
 * Reading the ELF file here, rather than parsing the output of readelf or
 * nm, keeps the rules exact. Only 64-bit little-endian relocatable objects
 * are read (x86-64 and AArch64, what the kernel supports); anything else is
 * refused.
 */
#include "grade.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

static bool in_file(size_t size, unsigned long long off, unsigned long long n)
{
    return off <= size && n <= size - off;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "why" if a section would run code outside the test; 'san': an object
   of the sanitizer build, whose own constructor is allowed. */
static char *early_section(const char *name, const Elf64_Shdr *sh, bool san)
{
    static const char *const prefixes[] = { ".init_array",    ".fini_array",
                                            ".ctors",         ".dtors",
                                            ".preinit_array", NULL };
    if (san &&
        (strcmp(name, ".init_array.00099") == 0 ||
         strcmp(name, ".fini_array.00099") == 0) &&
        sh->sh_size == sizeof(Elf64_Addr)) {
        return NULL;
    }
    for (int i = 0; prefixes[i]; i++) {
        if (starts(name, prefixes[i])) {
            return gr_fmt("a %s section (a constructor or destructor, "
                          "which would run code before the test or after "
                          "its verdict)",
                          prefixes[i]);
        }
    }
    if (sh->sh_type == SHT_INIT_ARRAY || sh->sh_type == SHT_FINI_ARRAY ||
        sh->sh_type == SHT_PREINIT_ARRAY) {
        return gr_fmt("a section of start-up or exit code (%s), which "
                      "would run code before the test or after its verdict",
                      name);
    }
    if (strcmp(name, ".init") == 0 || strcmp(name, ".fini") == 0 ||
        strcmp(name, ".interp") == 0) {
        return gr_fmt("a %s section, which would run code before the "
                      "test or after its verdict",
                      name);
    }
    /* What the linker and the dynamic loader read as tables of their own
       (the dynamic section, symbol and version tables, the GOT and PLT,
       the dynamic relocations, the transaction clone table), and code for
       the link-time optimizer: no C file compiles to them. */
    static const char *const linker[] = { ".dynamic",   ".dynsym",
                                          ".dynstr",    ".hash",
                                          ".gnu.hash",  ".got",
                                          ".plt",       ".gnu.version",
                                          ".jcr",       ".tm_clone_table",
                                          ".gnu.lto_",  ".gnu_object_only",
                                          ".rela.dyn",  ".rel.dyn",
                                          ".rela.plt",  ".rel.plt",
                                          ".rela.iplt", ".rel.iplt",
                                          ".rela.got",  NULL };
    for (int i = 0; linker[i]; i++) {
        if (starts(name, linker[i])) {
            return gr_fmt("a %s section (a table of the linker's)", name);
        }
    }
    /* A script for the debugger runs on the machine of whoever debugs
       the test binary (the report's "Debug it: gdb ..."), outside any
       sandbox; a debug link names another file for it to read. */
    static const char *const debugger[] = { ".debug_gdb_scripts",
                                            ".gnu_debuglink",
                                            ".gnu_debugaltlink", NULL };
    for (int i = 0; debugger[i]; i++) {
        if (strcmp(name, debugger[i]) == 0) {
            return gr_fmt("a %s section (a script or file for the debugger)",
                          name);
        }
    }
    if (sh->sh_type == SHT_DYNAMIC || sh->sh_type == SHT_DYNSYM ||
        sh->sh_type == SHT_HASH || sh->sh_type == SHT_GNU_HASH ||
        sh->sh_type == SHT_GNU_verdef || sh->sh_type == SHT_GNU_verneed ||
        sh->sh_type == SHT_GNU_versym) {
        return gr_fmt("a section of the dynamic linker's (%s)", name);
    }
    return NULL;
}

static char *scan_symbols(const char *img, size_t size, const Elf64_Shdr *sh,
                          unsigned nsec, unsigned idx, struct gr_strv *defined)
{
    const Elf64_Shdr *s = &sh[idx];
    if (s->sh_link >= nsec || s->sh_entsize != sizeof(Elf64_Sym) ||
        !in_file(size, s->sh_offset, s->sh_size)) {
        return gr_fmt("has a damaged symbol table");
    }
    const Elf64_Shdr *str = &sh[s->sh_link];
    if (!in_file(size, str->sh_offset, str->sh_size) || str->sh_size == 0) {
        return gr_fmt("has a damaged string table");
    }
    const char *names = img + str->sh_offset;
    const Elf64_Sym *sym = (const Elf64_Sym *)(img + s->sh_offset);
    size_t n = s->sh_size / sizeof *sym;
    for (size_t i = 1; i < n; i++) {
        unsigned bind = ELF64_ST_BIND(sym[i].st_info);
        if (ELF64_ST_TYPE(sym[i].st_info) == STT_GNU_IFUNC) {
            return gr_fmt("has an indirect function (ifunc), whose resolver "
                          "would run before the grading harness starts: the "
                          "grader refuses it");
        }
        if ((bind == STB_GLOBAL || bind == STB_WEAK ||
             bind == STB_GNU_UNIQUE) &&
            sym[i].st_shndx != SHN_UNDEF && sym[i].st_name < str->sh_size &&
            memchr(names + sym[i].st_name, '\0',
                   str->sh_size - sym[i].st_name) != NULL) {
            gr_strv_add(defined, names + sym[i].st_name);
        }
    }
    return NULL;
}

/* Reads the object at 'path': its defined global names go to 'defined'.
   Returns NULL, or why the object is refused. */
char *gr_elf_check(const char *path, bool san, struct gr_strv *defined)
{
    size_t size;
    char *img = gr_read_file(path, 256 << 20, &size);
    if (img == NULL) {
        return gr_fmt("cannot be read back after compiling");
    }
    char *why = NULL;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_type != ET_REL ||
        eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !in_file(size, eh->e_shoff, sizeof(Elf64_Shdr))) {
        free(img);
        return gr_fmt("is not a 64-bit little-endian object file");
    }
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
    /* With 65,280 sections or more (a loop of .section directives makes
       them), the header's counts do not fit: e_shnum is 0 and the real
       count is in the first section header, as is the index of the
       section names. Every section is checked, however many. */
    unsigned long long nsec = eh->e_shnum ? eh->e_shnum : sh[0].sh_size;
    unsigned long long strndx =
            eh->e_shstrndx == SHN_XINDEX ? sh[0].sh_link : eh->e_shstrndx;
    if (nsec > size / sizeof(Elf64_Shdr) ||
        !in_file(size, eh->e_shoff, nsec * sizeof(Elf64_Shdr)) ||
        strndx >= nsec) {
        free(img);
        return gr_fmt("is not a 64-bit little-endian object file");
    }
    const Elf64_Shdr *shstr = &sh[strndx];
    if (!in_file(size, shstr->sh_offset, shstr->sh_size) ||
        shstr->sh_size == 0 || img[shstr->sh_offset + shstr->sh_size - 1]) {
        free(img);
        return gr_fmt("has a damaged section table");
    }
    for (unsigned i = 0; i < nsec && why == NULL; i++) {
        if (sh[i].sh_name >= shstr->sh_size) {
            why = gr_fmt("has a damaged section name");
            break;
        }
        const char *name = img + shstr->sh_offset + sh[i].sh_name;
        char *first = early_section(name, &sh[i], san);
        if (first != NULL) {
            why = gr_fmt("has %s: the grader refuses it (hooks of a layer "
                         "are declared with LC_ON_EXIT)",
                         first);
            free(first);
        } else if (sh[i].sh_type == SHT_SYMTAB) {
            why = scan_symbols(img, size, sh, (unsigned)nsec, i, defined);
        }
    }
    free(img);
    return why;
}
