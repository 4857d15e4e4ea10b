/*
 * elf.c - what a compiled student file defines, and whether it runs code
 * before the harness does.
 *
 * The harness takes its grading channel in a constructor of priority 101,
 * the earliest a program may use, and wipes it from the environment. Code
 * that ran before it could read the secret token and forge a verdict. So an
 * object file handed in may not contain anything that runs earlier:
 * .preinit_array, .init_array.N with N <= 101, .ctors.N of the same
 * priorities, code in .init, a program interpreter of its own, or GNU
 * indirect functions (their resolvers run while the program is relocated).
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

#define HARNESS_PRIORITY 101
#define CTORS_LAST       65535 /* .ctors.N runs at priority 65535 - N */

static bool in_file(size_t size, unsigned long long off, unsigned long long n)
{
    return off <= size && n <= size - off;
}

/* "why" if a section runs code before the harness's constructor. */
static char *early_section(const char *name, unsigned type)
{
    unsigned long prio;
    char *end;
    if (type == SHT_PREINIT_ARRAY || strncmp(name, ".preinit_array", 14) == 0) {
        return gr_fmt("a .preinit_array entry");
    }
    if (strncmp(name, ".init_array.", 12) == 0) {
        prio = strtoul(name + 12, &end, 10);
        if (*end == '\0' && prio <= HARNESS_PRIORITY) {
            return gr_fmt("a constructor of priority %lu", prio);
        }
    }
    if (strncmp(name, ".ctors.", 7) == 0) {
        prio = strtoul(name + 7, &end, 10);
        if (*end == '\0' && prio <= CTORS_LAST &&
            CTORS_LAST - prio <= HARNESS_PRIORITY) {
            return gr_fmt("a constructor of priority %lu", CTORS_LAST - prio);
        }
    }
    if (strcmp(name, ".init") == 0 || strcmp(name, ".interp") == 0) {
        return gr_fmt("a %s section", name);
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
char *gr_elf_check(const char *path, bool early, struct gr_strv *defined)
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
        !in_file(size, eh->e_shoff,
                 (unsigned long long)eh->e_shnum * sizeof(Elf64_Shdr)) ||
        eh->e_shstrndx >= eh->e_shnum) {
        free(img);
        return gr_fmt("is not a 64-bit little-endian object file");
    }
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
    const Elf64_Shdr *shstr = &sh[eh->e_shstrndx];
    if (!in_file(size, shstr->sh_offset, shstr->sh_size) ||
        shstr->sh_size == 0 || img[shstr->sh_offset + shstr->sh_size - 1]) {
        free(img);
        return gr_fmt("has a damaged section table");
    }
    for (unsigned i = 0; i < eh->e_shnum && why == NULL; i++) {
        if (sh[i].sh_name >= shstr->sh_size) {
            why = gr_fmt("has a damaged section name");
            break;
        }
        const char *name = img + shstr->sh_offset + sh[i].sh_name;
        char *first = early ? early_section(name, sh[i].sh_type) : NULL;
        if (first != NULL) {
            why = gr_fmt("has %s, which would run before the grading "
                         "harness starts: the grader refuses it",
                         first);
            free(first);
        } else if (sh[i].sh_type == SHT_SYMTAB) {
            why = scan_symbols(img, size, sh, eh->e_shnum, i, defined);
        }
    }
    free(img);
    return why;
}
