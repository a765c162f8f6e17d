/*
 * Kernel Socket Lab's call tracer: a QEMU TCG plugin that reports a lab module's kernel calls
 * without stopping the VM.
 *
 * The gdbstub stepper stops the whole VM at each call site and at each return (30 stops for the
 * fixed pair); each stop costs the guest ~2.7 ms, so a traced run took 50-85 % longer than an
 * untraced one. Here the call sites are instrumented in QEMU's translation instead: at a site the
 * plugin reads the argument registers and the memory each pointer argument points to, at the
 * return (the instruction after the call, at the same stack depth) rax and the same memory again,
 * and writes one line to the app. The guest never stops; the app decodes the lines with the same
 * code that decodes the gdbstub's reads (callFrameReader.ts).
 *
 * The app speaks to it over a socket QEMU inherits (fd=N): lines in, lines out.
 *   in:  "sites <seq> <at>:<returnsTo>:<bufferArg>,..."  the call sites of every loaded lab module
 *        "report <seq> on|off"                            off while step mode stops at the sites itself
 *   out: "ok <seq>"                          applied (the guest is stopped by the stub meanwhile)
 *        "E <at> <rax> <rbx> ... <r15> [m <addr> <hex>]..."   a call: the 16 general registers, then
 *                                                             the memory at each pointer argument
 *        "R <returnsTo> <rax> ... <r15> [m <addr> <hex>]..."  its return: the same memory again, and
 *                                                             the kvec's buffer
 *
 * The header is ours (qemuPluginApi.h): only what this file uses, declared as QEMU 11.1 exports it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemuPluginApi.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 7;

#define MAX_SITES 512
#define MAX_PENDING 64
/*
 * What is read at each pointer argument: more than any struct the call view decodes (struct socket
 * is 128 bytes and struct msghdr 104 on 6.1 and on 6.12, by kernelLayout.ts's probe).
 */
#define ARG_BYTES 192
/* The kvec buffer read at a recvmsg/sendmsg return, at most (the app's MAX_DATA). */
#define MAX_BUFFER 4096
#define PAGE 4096ULL
/* Kernel addresses on x86-64 are in the upper half; anything else in a register is not followed. */
#define KERNEL_HALF 0xffff800000000000ULL

/* The general registers in the gdbstub's order (rspClient.ts's X86Registers, without rip: the pc is the site). */
enum { R_RAX, R_RBX, R_RCX, R_RDX, R_RSI, R_RDI, R_RBP, R_RSP, R_R8, R_R9, R_R10, R_R11, R_R12,
       R_R13, R_R14, R_R15, N_REGS };
static const char *const REG_NAMES[N_REGS] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
                                              "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};

typedef struct {
    uint64_t at;
    uint64_t returns_to;
    int buffer_arg; /* the kvec argument whose iov_base is read at the return; -1 for none */
} Site;

typedef struct {
    uint64_t returns_to;
    uint64_t rsp;
    uint64_t args[6];
    int buffer_arg;
} Pending;

static int out_fd = -1;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Site sites[MAX_SITES];
static int n_sites;
static Pending pending[MAX_PENDING];
static int n_pending;
static int reporting = 1;
static struct qemu_plugin_register *regs[N_REGS];
static GByteArray *scratch;

/* A line being built: registers and memory in hex. Grown as needed; one per event. */
typedef struct {
    char *text;
    size_t len, cap;
} Line;

static void put(Line *line, const char *text, size_t n)
{
    if (line->len + n + 1 > line->cap) {
        line->cap = (line->len + n + 1) * 2;
        line->text = realloc(line->text, line->cap);
    }
    memcpy(line->text + line->len, text, n);
    line->len += n;
    line->text[line->len] = 0;
}

static void put_hex64(Line *line, uint64_t value)
{
    char text[24];
    int n = snprintf(text, sizeof text, " %llx", (unsigned long long)value);
    put(line, text, (size_t)n);
}

static void send_line(Line *line)
{
    put(line, "\n", 1);
    size_t off = 0;
    while (off < line->len && out_fd >= 0) {
        ssize_t n = write(out_fd, line->text + off, line->len - off);
        if (n <= 0) {
            /* The app is gone: nothing more is reported, the guest runs on. */
            out_fd = -1;
            break;
        }
        off += (size_t)n;
    }
    free(line->text);
}

static uint64_t read_reg(int which)
{
    uint64_t value = 0;
    if (!regs[which]) return 0;
    g_byte_array_set_size(scratch, 0);
    if (qemu_plugin_read_register(regs[which], scratch) && scratch->len >= 8) memcpy(&value, scratch->data, 8);
    return value;
}

/* Guest memory at `at`, page by page (a read must not cross into a page that may be unmapped). */
static void put_memory(Line *line, uint64_t at, size_t length)
{
    static const char digits[] = "0123456789abcdef";
    if (at < KERNEL_HALF || length == 0) return;
    put(line, " m", 2);
    put_hex64(line, at);
    put(line, " ", 1);
    while (length > 0) {
        size_t chunk = (size_t)(PAGE - (at & (PAGE - 1)));
        if (chunk > length) chunk = length;
        g_byte_array_set_size(scratch, 0);
        if (!qemu_plugin_read_memory_vaddr(at, scratch, chunk) || scratch->len < chunk) break;
        for (size_t i = 0; i < chunk; i++) {
            char pair[2] = {digits[scratch->data[i] >> 4], digits[scratch->data[i] & 15]};
            put(line, pair, 2);
        }
        at += chunk;
        length -= chunk;
    }
}

static void put_registers(Line *line, uint64_t *values)
{
    for (int i = 0; i < N_REGS; i++) put_hex64(line, values[i]);
}

static void on_exec(unsigned int vcpu, void *userdata)
{
    (void)vcpu;
    uint64_t pc = (uint64_t)(uintptr_t)userdata;
    uint64_t values[N_REGS];
    pthread_mutex_lock(&lock);
    for (int i = 0; i < N_REGS; i++) values[i] = read_reg(i);
    /* A return first: the instruction after a call may be the next call. */
    for (int i = 0; i < n_pending; i++) {
        Pending p = pending[i];
        if (p.returns_to != pc || p.rsp != values[R_RSP]) continue;
        memmove(pending + i, pending + i + 1, sizeof pending[0] * (size_t)(--n_pending - i));
        Line line = {0};
        put(&line, "R", 1);
        put_hex64(&line, pc);
        put_registers(&line, values);
        for (int a = 0; a < 6; a++) put_memory(&line, p.args[a], ARG_BYTES);
        if (p.buffer_arg >= 0 && p.args[p.buffer_arg] >= KERNEL_HALF) {
            g_byte_array_set_size(scratch, 0);
            if (qemu_plugin_read_memory_vaddr(p.args[p.buffer_arg], scratch, 16) && scratch->len >= 16) {
                uint64_t base, size;
                memcpy(&base, scratch->data, 8);
                memcpy(&size, scratch->data + 8, 8);
                put_memory(&line, base, size < MAX_BUFFER ? size : MAX_BUFFER);
            }
        }
        send_line(&line);
        break;
    }
    for (int i = 0; reporting && i < n_sites; i++) {
        if (sites[i].at != pc) continue;
        uint64_t args[6] = {values[R_RDI], values[R_RSI], values[R_RDX],
                            values[R_RCX], values[R_R8], values[R_R9]};
        /* Full: the oldest goes (a call whose thread died in it, an oops, never returns). */
        if (n_pending == MAX_PENDING) memmove(pending, pending + 1, sizeof pending[0] * --n_pending);
        Pending *p = &pending[n_pending++];
        p->returns_to = sites[i].returns_to;
        p->rsp = values[R_RSP];
        memcpy(p->args, args, sizeof args);
        p->buffer_arg = sites[i].buffer_arg;
        Line line = {0};
        put(&line, "E", 1);
        put_hex64(&line, pc);
        put_registers(&line, values);
        for (int a = 0; a < 6; a++) put_memory(&line, args[a], ARG_BYTES);
        send_line(&line);
        break;
    }
    pthread_mutex_unlock(&lock);
}

static int watched(uint64_t pc)
{
    for (int i = 0; i < n_sites; i++)
        if (sites[i].at == pc || sites[i].returns_to == pc) return 1;
    return 0;
}

/*
 * Only a site's or a return's instruction gets a callback. A lab module's code is translated after
 * its sites arrive: they are sent while the stub holds the guest at the module's do_init_module,
 * before any of its code ran, and the code pages were just written (which drops any translation
 * of what was there before).
 */
static void on_translate(struct qemu_plugin_tb *tb, void *userdata)
{
    (void)userdata;
    size_t n = qemu_plugin_tb_n_insns(tb);
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t pc = qemu_plugin_insn_vaddr(insn);
        if (watched(pc))
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_exec, QEMU_PLUGIN_CB_R_REGS,
                                                   (void *)(uintptr_t)pc);
    }
    pthread_mutex_unlock(&lock);
}

static void on_vcpu_init(unsigned int vcpu, void *userdata)
{
    (void)vcpu;
    (void)userdata;
    GArray *all = qemu_plugin_get_registers();
    qemu_plugin_reg_descriptor *list = (qemu_plugin_reg_descriptor *)all->data;
    for (unsigned i = 0; i < all->len; i++)
        for (int r = 0; r < N_REGS; r++)
            if (!regs[r] && list[i].name && strcmp(list[i].name, REG_NAMES[r]) == 0) regs[r] = list[i].handle;
}

static void apply(char *command)
{
    char *seq = strchr(command, ' ');
    if (!seq) return;
    *seq++ = 0;
    char *rest = strchr(seq, ' ');
    if (rest) *rest++ = 0;
    pthread_mutex_lock(&lock);
    if (strcmp(command, "sites") == 0) {
        n_sites = 0;
        for (char *item = rest ? strtok(rest, ",") : NULL; item && n_sites < MAX_SITES;
             item = strtok(NULL, ",")) {
            Site s;
            unsigned long long at, ret;
            if (sscanf(item, "%llx:%llx:%d", &at, &ret, &s.buffer_arg) != 3) continue;
            s.at = at;
            s.returns_to = ret;
            sites[n_sites++] = s;
        }
    } else if (strcmp(command, "report") == 0) {
        reporting = rest && strncmp(rest, "on", 2) == 0;
    }
    Line line = {0};
    put(&line, "ok ", 3);
    put(&line, seq, strlen(seq));
    send_line(&line);
    pthread_mutex_unlock(&lock);
}

static void *read_commands(void *arg)
{
    int fd = (int)(intptr_t)arg;
    FILE *in = fdopen(dup(fd), "r");
    char *text = NULL;
    size_t cap = 0;
    ssize_t n;
    while (in && (n = getline(&text, &cap, in)) > 0) {
        if (text[n - 1] == '\n') text[n - 1] = 0;
        apply(text);
    }
    free(text);
    return NULL;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                           char **argv)
{
    if (!info->system_emulation) return -1;
    for (int i = 0; i < argc; i++)
        if (strncmp(argv[i], "fd=", 3) == 0) out_fd = atoi(argv[i] + 3);
    if (out_fd < 0) {
        fprintf(stderr, "callTracer: no fd=N argument\n");
        return -1;
    }
    scratch = g_byte_array_new();
    pthread_t reader;
    if (pthread_create(&reader, NULL, read_commands, (void *)(intptr_t)out_fd) != 0) return -1;
    pthread_detach(reader);
    qemu_plugin_register_vcpu_init_cb(id, on_vcpu_init, NULL);
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate, NULL);
    return 0;
}
