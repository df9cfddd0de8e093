#include "queued.h"
void intake_scan(struct qd *q) { (void)q; }
void intake_one(struct qd *q, const char *id) { (void)q; (void)id; }
void intake_child(struct qd *q, pid_t pid, int status) { (void)q; (void)pid; (void)status; }
void intake_fini(struct qd *q) { (void)q; }
